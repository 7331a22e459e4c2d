"""The `briefbot` command: the bot, the terminal chat, and scriptable summarize/add/ask/extract."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TextIO

from bot.briefings import MAX_BRIEF_ARTICLES, MAX_BRIEF_SENTENCES
from bot.errors import BriefbotError, InputError
from bot.i18n import DEFAULT_LANGUAGE, Catalogs, Text, Translator, lazy, normalize
from bot.settings import Settings, settings_help
from bot.sources.urls import is_url
from bot.summaries.algorithms import ENGINES, resolve_algorithm
from bot.userinput import MAX_ID, parse_article_numbers, parse_chat_id, parse_number, parse_period

if TYPE_CHECKING:  # asyncio and the sources load with the commands that read sources
    from bot.sources.loading import Loaded

logger = logging.getLogger("briefbot")


MAX_TOP = 100
MAX_CLI_SENTENCES = 1000


def _bounded(expected: Text, maximum: int = MAX_ID) -> Callable[[str], int]:
    """An argparse type: a whole number from 1 to `maximum`; anything else is a usage error (exit 2)."""

    def parse(value: str) -> int:
        try:
            return parse_number(value, expected, maximum=maximum)
        except InputError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = str(expected)
    return parse


def _checked(parse: Callable[[str], Any], expected: str) -> Callable[[str], Any]:
    """An argparse type from one of the chat's parsers: its InputError is a usage error (exit 2)."""

    def check(value: str) -> Any:
        try:
            return parse(value)
        except InputError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    check.__name__ = expected
    return check


def _chat_id(value: str) -> int:
    """An argparse type: a chat id within the 63 bits the database holds."""
    try:
        return parse_chat_id(value)
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _ratio(value: str) -> float:
    number = float(value)
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1, for example 0.2")
    return number


def build_arg_parser() -> argparse.ArgumentParser:
    env_lines = "\n".join(f"  {name:34} {help}" for name, _default, help in settings_help())
    parser = argparse.ArgumentParser(
        prog="briefbot",
        description="Keeps your articles, summarizes them with Sumy and answers questions about them. "
        "With no command: the Telegram bot if BRIEFBOT_TOKEN is set, else the terminal chat.",
        epilog="Settings (environment variables):\n" + env_lines,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL of the library (BRIEFBOT_DATABASE_URL)")
    parser.add_argument("--chat-id", type=_chat_id, help="whose library the terminal and CLI use (BRIEFBOT_CHAT_ID)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING or ERROR (BRIEFBOT_LOG_LEVEL)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("run", help="run the Telegram bot (polling, or webhook when BRIEFBOT_WEBHOOK_URL is set)")
    chat = commands.add_parser("chat", help="the same conversation in a terminal; also reads piped stdin")
    # Not --language's `dest`: summarize --language is the article's language, this one is Briefbot's.
    chat.add_argument("--language", "-l", dest="language_ui", metavar="L",
                      help="the language Briefbot speaks (en, ru, uk, de, fr, es, it, pt, pl); "
                      "default: BRIEFBOT_UI_LANGUAGE, else LANG")

    summarize = commands.add_parser("summarize", help="summarize files, URLs or - (stdin) without saving them")
    length = summarize.add_mutually_exclusive_group()
    length.add_argument("--sentences", "-n", type=_bounded(lazy("a number of sentences"), MAX_CLI_SENTENCES),
                        help="summary length in sentences")
    length.add_argument("--ratio", "-r", type=_ratio, help="summary length as a share of the article (0-1)")
    summarize.add_argument("--algorithm", "-a", help="default, lexrank, textrank, lsa, luhn, kl, sumbasic, "
                           "reduction, edmundson or lead")
    summarize.add_argument("--language", "-l", help="language code or name (default: detected per article)")
    summarize.add_argument("--engine", choices=ENGINES,
                           help="fast (default) or sumy (stock Sumy); either runs as asked, without the time budget")
    summarize.add_argument("--json", action="store_true", help="one JSON object per source on stdout")
    summarize.add_argument("sources", nargs="+", metavar="SOURCE", help="a file, a URL or -")

    add = commands.add_parser("add", help="save articles to the library and print their numbers")
    add.add_argument("--json", action="store_true", help="one JSON object per source on stdout")
    add.add_argument("sources", nargs="+", metavar="SOURCE", help="a file, a URL or -")

    ask = commands.add_parser("ask", help="answer a question from the library (or one per line from stdin)")
    ask.add_argument("--article", type=_bounded(lazy("an article number")), help="answer from article N only")
    ask.add_argument("--top", type=_bounded(lazy("a number of answers"), MAX_TOP), default=3,
                     help="how many sentences to return (default 3)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question on stdout")
    ask.add_argument("question", nargs="*", help="the question; none: read one question per line from stdin")

    brief = commands.add_parser("brief", help="one cited summary across several articles of the library")
    which = brief.add_mutually_exclusive_group()
    which.add_argument("--since", metavar="PERIOD", type=_checked(parse_period, "a period"),
                       help="the articles saved in the last PERIOD (12h, 7d, 2w)")
    which.add_argument("--last", metavar="N", type=_bounded(lazy("a number of articles"), MAX_BRIEF_ARTICLES),
                       help="the newest N articles")
    which.add_argument("--match", metavar="WORDS", help="the articles that match WORDS (as answers do)")
    numbers = _checked(partial(parse_article_numbers, most=MAX_BRIEF_ARTICLES), "article numbers")
    which.add_argument("--articles", metavar="N,N,...", type=numbers, help="these articles, for example 3,5,8")
    brief.add_argument("--sentences", "-n", metavar="N", type=_bounded(lazy("a briefing length"), MAX_BRIEF_SENTENCES),
                       help="briefing length (default: by how many articles)")
    brief.add_argument("--json", action="store_true", help="one JSON object on stdout")

    extract = commands.add_parser("extract", help="print the article that would be stored from a URL or file")
    extract.add_argument("--json", action="store_true", help="one JSON object per source on stdout")
    extract.add_argument("sources", nargs="+", metavar="SOURCE", help="a file, a URL or -")

    follow = commands.add_parser("follow", help="follow an RSS/Atom feed (or a page that links one) in the CLI's chat")
    follow.add_argument("--every", type=_bounded(lazy("a number of minutes"), 1440),
                        help="minutes between checks (default BRIEFBOT_FEED_INTERVAL_MINUTES, at least 5)")
    follow.add_argument("--json", action="store_true", help="one JSON object on stdout")
    follow.add_argument("url", metavar="URL")

    feeds = commands.add_parser("feeds", help="the feeds the CLI's chat follows; `feeds poll` checks the due ones once")
    feeds.add_argument("action", nargs="?", choices=("list", "poll"), default="list",
                       help="list (default): this chat's feeds; poll: check every chat's due feeds once")
    feeds.add_argument("--json", action="store_true", help="one JSON object per feed on stdout")

    unfollow = commands.add_parser("unfollow", help="stop following feed N (the number `briefbot feeds` shows)")
    unfollow.add_argument("number", type=_bounded(lazy("a feed number"), 10_000), metavar="N")

    db = commands.add_parser("db", help="database schema: upgrade or show the current revision; "
                                        "reindex recomputes stored sentences' search terms")
    db.add_argument("action", choices=("upgrade", "current", "reindex"))
    return parser


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and a Bot API URL carries the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # APScheduler (PTB's JobQueue) logs every run of the feed job at INFO.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Alembic's plugin and migration chatter is for debugging; storage logs one line of its own.
    if logging.getLogger().level > logging.DEBUG:
        logging.getLogger("alembic").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_arg_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(database_url=args.database_url, chat_id=args.chat_id, log_level=args.log_level)
    except ValueError as error:
        parser.error(str(error))
    command = args.command or ("run" if settings.token else "chat")
    # Scripts and the terminal chat want results on stdout and only problems on stderr, unless asked otherwise.
    quiet = command != "run" and not args.log_level and "BRIEFBOT_LOG_LEVEL" not in os.environ
    configure_logging("WARNING" if quiet else settings.log_level)
    # Human-readable output speaks BRIEFBOT_UI_LANGUAGE, else the locale's language; --json stays neutral.
    tags = (getattr(args, "language_ui", None), settings.ui_language, os.environ.get("LANG"))
    chosen = next((code for code in map(normalize, tags) if code is not None), DEFAULT_LANGUAGE)
    tr = Catalogs.load((chosen,)).get(chosen)
    handlers: dict[str, Callable[[argparse.Namespace, Settings, Translator], int]] = {
        "run": _cmd_run,
        "chat": _cmd_chat,
        "summarize": _cmd_summarize,
        "add": _cmd_add,
        "ask": _cmd_ask,
        "brief": _cmd_brief,
        "extract": _cmd_extract,
        "db": _cmd_db,
        "follow": _cmd_follow,
        "feeds": _cmd_feeds,
        "unfollow": _cmd_unfollow,
    }
    try:
        return handlers[command](args, settings, tr)
    except BriefbotError as error:
        print(f"briefbot: {tr.render(error.message)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


# -- helpers -------------------------------------------------------------------------------


def _emit(stream: TextIO, payload: dict[str, Any]) -> None:
    stream.write(json.dumps(payload, ensure_ascii=False) + "\n")
    stream.flush()


def _load(source: str, settings: Settings) -> Loaded:
    import asyncio

    from bot.services import build_sources

    sources = build_sources(settings)
    if is_url(source):

        async def fetch() -> Loaded:
            try:
                return await sources.from_url(source)
            finally:
                await sources.aclose()

        return asyncio.run(fetch())
    return sources.from_path(source)


# -- commands ------------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    if not settings.token:
        print("briefbot: " + tr.gettext("set BRIEFBOT_TOKEN to run the Telegram bot (or use `briefbot chat`)."),
              file=sys.stderr)
        return 2
    from bot.app import run_bot

    return run_bot(settings)


def _cmd_chat(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    from bot.chat import run_chat

    return run_chat(settings, language=getattr(args, "language_ui", None))


def _cmd_summarize(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    from bot.services import build_parser
    from bot.summaries.summarizer import Summarizer

    algorithm = resolve_algorithm(args.algorithm, settings.algorithm)
    parser = build_parser(settings)
    # An engine named on the command line runs as asked, without the bot's time budget: `--engine sumy`
    # is stock Sumy, sentence for sentence, however long it takes.
    summarizer = Summarizer(parser, engine=args.engine or settings.engine, default_algorithm=settings.algorithm,
                            default_sentences=settings.summary_sentences, time_budget=args.engine is None)
    status = 0
    for source in args.sources:
        try:
            loaded = _load(source, settings)
            parsed = parser.parse(loaded.text, title=loaded.title, language=args.language or loaded.language)
            summary = summarizer.summarize(parsed, algorithm=algorithm, sentences=args.sentences, ratio=args.ratio)
        except BriefbotError as error:
            status = 1
            _report_error(args.json, source, error, tr)
            continue
        if args.json:
            _emit(sys.stdout, {
                "source": source,
                "title": parsed.title,
                "language": parsed.language,
                "algorithm": summary.algorithm,
                "sentence_count": len(parsed.content_sentences),
                "sentences": [{"position": s.position, "text": s.text} for s in summary.sentences],
                "url": loaded.final_url or loaded.url,
            })
        else:
            total = len(parsed.content_sentences)
            counts = tr.ngettext("%(count)s of %(total)s sentence", "%(count)s of %(total)s sentences", total,
                                 count=len(summary.sentences), total=total)
            print(f"# {parsed.title}  [{parsed.language}, {summary.algorithm}, {counts}]")
            for sentence in summary.sentences:
                print(f"- {sentence.text}")
            if len(args.sources) > 1:
                print()
    return status


def _report_error(as_json: bool, source: str, error: BriefbotError, tr: Translator) -> None:
    if as_json:  # scripts read English, whatever the locale
        _emit(sys.stdout, {"source": source, "error": str(error)})
    else:
        print(f"briefbot: {source}: {tr.render(error.message)}", file=sys.stderr)


def _cmd_add(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    from bot.services import build_library_services

    services = build_library_services(settings)
    status = 0
    show_progress = sys.stderr.isatty() and not args.json and len(args.sources) > 1
    try:
        progress = None
        task = None
        if show_progress:
            from rich.console import Console
            from rich.progress import Progress

            # On stderr, so stdout carries results only.
            progress = Progress(console=Console(stderr=True), transient=True, redirect_stdout=False)
            progress.start()
            task = progress.add_task(tr.gettext("Adding"), total=len(args.sources))
        for source in args.sources:
            try:
                ingested = _add_one(services, settings, source)
            except BriefbotError as error:
                status = 1
                _report_error(args.json, source, error, tr)
            else:
                info = ingested.article
                if args.json:
                    _emit(sys.stdout, {"source": source, "article": info.number, "title": info.title,
                                       "duplicate": ingested.duplicate})
                else:
                    mark = " " + tr.gettext("(already in the library)") if ingested.duplicate else ""
                    print(f"#{info.number} {info.title}{mark}")
            if progress is not None and task is not None:
                progress.advance(task)
        if progress is not None:
            progress.stop()
    finally:
        services.close()
    return status


def _add_one(services: Any, settings: Settings, source: str) -> Any:
    import asyncio

    from bot.sources.loading import load_local

    if is_url(source):
        from bot.services import build_link_ingester

        async def fetch_and_save() -> Any:
            # One client per event loop: asyncio.run gives each source its own loop.
            ingester = build_link_ingester(settings, services.library)
            try:
                return await ingester.ingest(settings.chat_id, source, None)
            finally:
                await ingester.aclose()

        return asyncio.run(fetch_and_save())
    loaded = load_local(source, max_bytes=settings.max_file_bytes)
    return services.library.ingest_text(settings.chat_id, loaded.text, title=loaded.title, language=loaded.language)


def _warn_if_stale(services: Any, tr: Translator) -> None:
    """Say on stderr that the stored search terms wait for `briefbot db reindex` (answers come all the same)."""
    if services.upkeep.stale():
        print("briefbot: " + tr.gettext(
            "the library's search terms were made by an older Briefbot: answers may miss a few words until "
            "`briefbot db reindex` has run (a running bot does it by itself)."), file=sys.stderr)


def _cmd_ask(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    from bot.services import build_library_services

    if args.question:
        questions: Any = [" ".join(args.question)]
    else:
        questions = (line.strip() for line in sys.stdin)
    services = build_library_services(settings)
    status = 0
    try:
        _warn_if_stale(services, tr)
        for question in questions:
            if not question:
                continue
            try:
                answer = services.library.ask(settings.chat_id, question, top=args.top, article_number=args.article)
            except BriefbotError as error:
                status = 1
                if args.json:
                    _emit(sys.stdout, {"question": question, "error": str(error)})
                else:
                    print(f"briefbot: {tr.render(error.message)}", file=sys.stderr)
                continue
            if args.json:
                _emit(sys.stdout, {
                    "question": question,
                    "answers": [
                        {"article": s.article_number, "title": s.article_title, "position": s.position,
                         "text": s.text, "score": s.score, "weak": s.weak}
                        for s in answer.sentences
                    ],
                })
            elif not answer.sentences:
                print(tr.gettext("Nothing found for: %(question)s", question=question))
            else:
                for s in answer.sentences:
                    print(f"#{s.article_number} {s.article_title} [{s.position}]: {s.text}")
                sys.stdout.flush()
    finally:
        services.close()
    return status


def brief_selection(args: argparse.Namespace) -> Any:
    """The selection `briefbot brief`'s flags ask for (None: since the last briefing)."""
    from bot.briefings import LastN, Matching, Numbers, Recent

    if args.since is not None:
        return Recent(args.since)
    if args.last is not None:
        return LastN(args.last)
    if args.match is not None:
        if not args.match.strip():
            raise InputError(lazy("--match needs words to look for."))
        return Matching(args.match)
    if args.articles is not None:
        return Numbers(args.articles)
    return None


def _cmd_brief(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    from bot.services import build_briefings, build_library_services

    services = build_library_services(settings)
    try:
        selection = brief_selection(args)
        if args.match is not None:  # found as answers are
            _warn_if_stale(services, tr)
        briefing = build_briefings(services).brief(settings.chat_id, selection, args.sentences)
    except BriefbotError as error:
        if not args.json:
            raise
        _emit(sys.stdout, {"error": str(error)})  # scripts read English, whatever the locale
        return 1
    finally:
        services.close()
    if args.json:
        _emit(sys.stdout, {
            "articles": [{"number": a.number, "title": a.title, "language": a.language,
                          "url": a.final_url or a.url, "saved": a.created_at.isoformat()} for a in briefing.articles],
            "sentences": [{"article": s.article, "position": s.position, "text": s.text, "also": list(s.also)}
                          for s in briefing.sentences],
            "matched": briefing.matched,
        })
        return 0
    from bot.conversation.rendering import briefing_heading

    print(briefing_heading(tr, briefing).plain)
    for info in briefing.articles:
        chosen = [s for s in briefing.sentences if s.article == info.number]
        if chosen:
            print(f"# #{info.number} {info.title}")
            for sentence in chosen:
                print(f"- {sentence.text} [#{sentence.article}]")
    return 0


def _cmd_extract(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    from bot.text.language import Languages

    languages = Languages()
    status = 0
    for source in args.sources:
        try:
            loaded = _load(source, settings)
        except BriefbotError as error:
            status = 1
            _report_error(args.json, source, error, tr)
            continue
        language = loaded.language or languages.detect(loaded.text)
        payload = {"source": source, "url": loaded.final_url or loaded.url, "title": loaded.title or "",
                   "language": language, "text": loaded.text, "site_name": loaded.site_name,
                   "author": loaded.author, "date": loaded.published}
        if args.json:
            _emit(sys.stdout, payload)
        else:
            print(f"# {payload['title']}\n\n{loaded.text}\n")
    return status


def _feed_json(feed: Any) -> dict[str, Any]:
    return {"url": feed.url, "title": feed.title, "interval_minutes": feed.interval_minutes,
            "last_checked": feed.last_checked_at.isoformat() if feed.last_checked_at else None,
            "failures": feed.failures, "error": feed.last_error}


def _cmd_follow(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    import asyncio

    from bot.services import build_services

    services = build_services(settings)

    async def follow() -> Any:
        try:
            return await services.feeds.follow(settings.chat_id, args.url, interval_minutes=args.every)
        finally:
            await services.aclose()

    try:
        feed, created = asyncio.run(follow())
    finally:
        services.close()
    if args.json:
        _emit(sys.stdout, {**_feed_json(feed), "source": args.url, "new": created})
    elif created:
        print(tr.ngettext("Following %(title)s: %(url)s, every %(count)s min",
                          "Following %(title)s: %(url)s, every %(count)s min", feed.interval_minutes,
                          title=feed.title, url=feed.url, count=feed.interval_minutes))
    else:
        print(tr.ngettext("Following %(title)s (already followed): %(url)s, every %(count)s min",
                          "Following %(title)s (already followed): %(url)s, every %(count)s min",
                          feed.interval_minutes, title=feed.title, url=feed.url, count=feed.interval_minutes))
    return 0


def _cmd_feeds(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    from bot.services import build_services

    services = build_services(settings)
    try:
        if args.action == "list":
            feeds = services.feeds.list(settings.chat_id)
            for number, feed in enumerate(feeds, 1):
                if args.json:
                    _emit(sys.stdout, {"number": number, **_feed_json(feed)})
                else:
                    checked = (tr.gettext("%(time)s UTC", time=feed.last_checked_at.strftime("%Y-%m-%d %H:%M"))
                               if feed.last_checked_at else tr.gettext("never"))
                    failing = (", " + tr.gettext("failing: %(reason)s", reason=feed.last_error)
                               if feed.last_error else "")
                    details = tr.ngettext("every %(count)s min, last checked %(checked)s",
                                          "every %(count)s min, last checked %(checked)s", feed.interval_minutes,
                                          count=feed.interval_minutes, checked=checked)
                    print(f"{number}. {feed.title} — {feed.url} ({details}{failing})")
            if not feeds and not args.json:
                print(tr.gettext("No feeds. `briefbot follow URL` adds one."))
            return 0
        return _poll_once(args, services, tr)
    finally:
        services.close()


def _poll_once(args: argparse.Namespace, services: Any, tr: Translator) -> int:
    """One round of every chat's due feeds and briefings (for cron); prints what it did."""
    import asyncio

    async def poll() -> Any:
        try:
            return await services.feed_round.run_once(briefings=False)
        finally:
            await services.aclose()

    done = asyncio.run(poll())
    status = 0
    for result in done.polled:
        if result.error:
            status = 1
        if args.json:
            _emit(sys.stdout, {"chat": result.feed.chat_id, "url": result.feed.url, "title": result.feed.title,
                               "new_articles": list(result.new_articles), "unchanged": result.unchanged,
                               "error": result.error})
        elif result.error:
            reason = tr.render(result.reason if result.reason is not None else result.error)
            print(f"briefbot: {result.feed.url}: {reason}", file=sys.stderr)
        else:
            state = (tr.gettext("unchanged") if result.unchanged else
                     tr.ngettext("%(count)s new", "%(count)s new", len(result.new_articles),
                                 count=len(result.new_articles)))
            print(tr.gettext("chat %(chat)s: %(title)s: %(state)s", chat=result.feed.chat_id,
                             title=result.feed.title, state=state))
    if not args.json:
        for item in done.outgoing:
            print(tr.gettext("chat %(chat)s: %(message)s", chat=item.chat_id, message=item.reply.plain))
    return status


def _cmd_unfollow(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    from bot.services import build_services

    services = build_services(settings)
    try:
        removed = services.feeds.unfollow(settings.chat_id, args.number)
    finally:
        services.close()
    print(tr.gettext("Stopped following %(title)s.", title=removed.title))
    return 0


def _cmd_db(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    from storage.db import current_revision, head_revision, inbox_engine, make_engine, upgrade

    if args.action == "reindex":
        from bot.services import build_library_services

        services = build_library_services(settings)
        try:
            changed = services.upkeep.reindex()
        finally:
            services.close()
        if changed is None:
            print("briefbot: " + tr.gettext("another Briefbot process is reindexing this library; try again when "
                                            "it is done."), file=sys.stderr)
            return 1
        articles, sentences = changed
        where = tr.ngettext("in %(count)s article", "in %(count)s articles", articles, count=articles)
        print(tr.ngettext("reindexed: %(count)s sentence %(where)s changed",
                          "reindexed: %(count)s sentences %(where)s changed", sentences, count=sentences, where=where))
        return 0
    engine = make_engine(settings.resolved_database_url)
    try:
        if args.action == "upgrade":
            upgrade(engine)
            inbox = inbox_engine(settings.resolved_database_url, engine)  # SQLite: the inbox's own file, upgraded
            if inbox is not engine:
                inbox.dispose()
        revision = current_revision(engine)
        print(f"current: {revision or 'none'} (head: {head_revision()})")
    finally:
        engine.dispose()
    return 0


