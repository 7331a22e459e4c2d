"""The texts of tests/data/encodings/, and the encoding each file is written in.

`python -m tests.encodings_corpus` writes the files again.
"""

from __future__ import annotations

from pathlib import Path

DIRECTORY = Path(__file__).parent / "data" / "encodings"

FRENCH = (
    "La crème brûlée du café était délicieuse, mais le garçon, un peu naïf, a renversé le thé. "
    "Noël approche : à Paris, les fenêtres s'illuminent et les enfants écrivent au Père Noël. "
    "« C'est déjà l'hiver », dit Zoë en refermant la porte de l'hôtel.\n"
)
GERMAN = (
    "Die Bürger der Stadt haben über die neue Straße abgestimmt. Größere Geschäfte öffnen früher, "
    "und die Bäckerei am Marktplatz verkauft jetzt auch Brötchen mit Kümmel. "
    "Übermorgen beginnt das Fußballturnier, zu dem viele Gäste aus Österreich erwartet werden.\n"
)
SPANISH = (
    "El niño comió una piña en la montaña mientras su abuela leía el periódico. "
    "¿Quién sabe cuántos años tiene el árbol del jardín? "
    "La canción más famosa del pueblo habla de un pingüino que soñaba con el océano.\n"
)
RUSSIAN = (
    "Москва — столица России и крупнейший город страны. Вчера в центре города прошёл фестиваль, "
    "на который пришли тысячи жителей. Организаторы обещают повторить праздник в следующем году, "
    "если погода будет такой же хорошей.\n"
)

# file name -> (encoding as Python names it, text); "-bom" files start with the byte order mark.
CORPUS: dict[str, tuple[str, str]] = {
    "french-cp1252.txt": ("cp1252", FRENCH),
    "french-latin1.txt": ("latin-1", FRENCH.replace("«", '"').replace("»", '"')),
    "german-cp1252.txt": ("cp1252", GERMAN),
    "spanish-latin1.txt": ("latin-1", SPANISH),
    "russian-cp1251.txt": ("cp1251", RUSSIAN),
    "french-utf8.txt": ("utf-8", FRENCH),
    "russian-utf8-bom.txt": ("utf-8-sig", RUSSIAN),
    "german-utf16le.txt": ("utf-16-le", GERMAN),
    "spanish-utf16be.txt": ("utf-16-be", SPANISH),
    "russian-utf16le.txt": ("utf-16-le", RUSSIAN),
    "french-utf16-bom.txt": ("utf-16", FRENCH),
    "russian-utf16be-bom.txt": ("utf-16-be", "\ufeff" + RUSSIAN),
}


def expected_text(name: str) -> str:
    """The text a file of the corpus holds, without a byte order mark."""
    return CORPUS[name][1].removeprefix("\ufeff")


def write_corpus() -> None:
    """Write every file of the corpus in its encoding."""
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    for name, (encoding, text) in CORPUS.items():
        (DIRECTORY / name).write_bytes(text.encode(encoding))


if __name__ == "__main__":
    write_corpus()
