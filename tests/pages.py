"""Builders of web pages and PDFs for the link and file tests."""

from __future__ import annotations

import html

from tests.helpers import seed_article

BOILERPLATE_WORDS = ("Subscribe to our newsletter", "We use cookies", "Most read", "Copyright 2024 Example News",
                     "Celebrity diet secrets revealed", "Home | World | Sport")


def seed_parts() -> tuple[str, list[str]]:
    title, body = seed_article().split("\n\n", 1)
    return title.strip(), [p.strip() for p in body.split("\n\n") if p.strip()]


def article_page(title: str, paragraphs: list[str], *, charset: str | None = "utf-8", lang: str = "en") -> str:
    """A news page: navigation, cookie banner, the article, a 'Most read' sidebar, a footer."""
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{meta}<title>{html.escape(title)} | Example News</title></head>
<body>
<header><nav><ul><li><a href="/">Home | World | Sport</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/business">Business</a></li><li><a href="/tech">Technology</a></li></ul></nav></header>
<div class="cookie-banner" id="cookie-consent">We use cookies to improve your experience.
<button>Accept all</button></div>
<main>
<article>
<h1>{html.escape(title)}</h1>
<p class="byline">By Jane Reporter, 12 May 2023</p>
{body}
</article>
</main>
<aside class="sidebar"><h2>Most read</h2><ol>
<li><a href="/a">Celebrity diet secrets revealed</a></li>
<li><a href="/b">Ten things you did not know about cats</a></li>
<li><a href="/c">Markets rally as rates hold steady</a></li></ol></aside>
<footer><p>Subscribe to our newsletter for daily updates.</p><p>Copyright 2024 Example News. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""


def seed_page() -> str:
    title, paragraphs = seed_parts()
    return article_page(title, paragraphs)


def make_pdf(lines: list[str] | None) -> bytes:
    """A one-page PDF; with `lines` it has a text layer (Helvetica), without it only a drawn box."""
    if lines:
        operations = ["BT", "/F1 11 Tf", "50 780 Td", "14 TL"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            operations.append(f"({escaped}) Tj T*")
        operations.append("ET")
    else:
        operations = ["0.5 g", "50 500 300 200 re f"]
    stream = "\n".join(operations).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def wrap(text: str, width: int = 90) -> list[str]:
    """Lines of at most `width` characters, as a PDF would set them."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        current = ""
        for word in paragraph.split():
            if current and len(current) + 1 + len(word) > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        if current:
            lines.append(current)
        lines.append("")
    return lines
