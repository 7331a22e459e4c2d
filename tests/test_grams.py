"""Letter 4-grams shared by a question and its candidate sentences."""

from __future__ import annotations

import pytest

from bot.answers.grams import gram_shares, question_grams
from bot.text.language import Languages

LANGUAGES = Languages()


def test_question_grams_leave_out_question_words_and_stop_words() -> None:
    grams = question_grams(LANGUAGES.profile("en"), "Who wrote about the anarchy?")
    assert " ana" in grams and "chy " in grams and " wro" in grams
    assert not any(gram.strip() in {"who", "the", "abou"} for gram in grams)


def test_a_sentence_holding_every_gram_has_share_one_and_an_unrelated_one_zero() -> None:
    grams = {"en": question_grams(LANGUAGES.profile("en"), "anarchy")}
    shares = gram_shares(grams, [("en", "Anarchy!"), ("en", "The weather was fine."), ("en", "An anarchist.")])
    assert shares[0] == pytest.approx(1.0)
    assert shares[1] == 0.0
    # "anarchist" holds " ana", "anar", "narc", "arch", not "rchy", "chy ".
    assert 0.0 < shares[2] < 1.0


def test_a_gram_every_candidate_holds_weighs_least() -> None:
    grams = {"en": question_grams(LANGUAGES.profile("en"), "harbor tower")}
    # Every sentence says "harbor": the one that also says "tower" holds the rarer, weightier grams.
    shares = gram_shares(grams, [("en", "The harbor tower."), ("en", "The harbor."), ("en", "A harbor wall.")])
    assert shares[0] == pytest.approx(1.0)
    assert shares[1] == shares[2] < 0.5


def test_each_sentence_is_weighed_against_its_own_languages_question_grams() -> None:
    grams = {"en": question_grams(LANGUAGES.profile("en"), "harbor"),
             "de": question_grams(LANGUAGES.profile("de"), "Hafen")}
    shares = gram_shares(grams, [("en", "The harbor."), ("de", "Der Hafen."), ("de", "The harbor.")])
    assert shares == [pytest.approx(1.0), pytest.approx(1.0), 0.0]
