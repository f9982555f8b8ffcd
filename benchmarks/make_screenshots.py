"""Make ``docs/screenshot-side-by-side.png``: a Romanian seed article side by side with English.

    QT_QPA_PLATFORM=offscreen python benchmarks/make_screenshots.py [--out docs/screenshot-side-by-side.png]

There is no internet on the build machines, so the English comes from a small local
LibreTranslate-compatible server started here on 127.0.0.1, answering from :data:`ENGLISH`: English
translations of the seed article's paragraphs written by hand for this screenshot (not machine
output). Everything else is the real app: a fresh library seeded on first start, the window, the
translation controller, the paragraph cache and the side-by-side view.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: seeds/001_*.txt (Reuters via a Romanian outlet, December 2025), title and paragraphs, in English.
ENGLISH = {
    "Belarus se apropie de un acord major pentru restabilirea relațiilor cu SUA…":
        "Belarus nears a major deal to restore relations with the US…",
    "Belarus se apropie de un acord major pentru restabilirea relațiilor cu SUA, dar nu va renunța la legăturile "
    "strânse pe care le are cu Rusia, a declarat președintele Aleksandr Lukașenko, joi, potrivit Reuters.":
        "Belarus is nearing a major deal to restore relations with the US, but will not give up its close ties "
        "with Russia, President Alexander Lukashenko said on Thursday, according to Reuters.",
    "Vorbind la cinci zile după eliberarea unui grup mare de prizonieri politici în schimbul unei relaxări a "
    "sancțiunilor americane, Lukașenko a spus că se așteaptă ca dezghețul relațiilor să ducă la un summit cu "
    "omologul său american, Donald Trump.":
        "Speaking five days after the release of a large group of political prisoners in exchange for an easing "
        "of US sanctions, Lukashenko said he expects the thaw in relations to lead to a summit with his American "
        "counterpart, Donald Trump.",
    "„Totul se îndreaptă, cum spun ei, spre un mare acord… Totul se îndreaptă spre faptul că eu și Trump trebuie "
    "să ne întâlnim și să ajungem la o înțelegere”, a spus Lukașenko, care fusese izolat de Occident înainte de "
    "revenirea lui Trump la Casa Albă, din cauza istoricului său în materie de drepturi ale omului și a faptului "
    "că a sprijinit războiul Rusiei din Ucraina.":
        "“Everything is heading, as they say, towards a big deal… Everything is heading towards Trump and me "
        "having to meet and reach an agreement,” said Lukashenko, who had been shunned by the West before "
        "Trump's return to the White House over his human rights record and his support for Russia's war in "
        "Ukraine.",
    "SUA speră să îl îndepărteze de Putin": "The US hopes to draw him away from Putin",
    "Partea americană, care caută progrese în soluționarea războiului din Ucraina, susține că Lukașenko a oferit "
    "sfaturi bune. Oficiali ai SUA au declarat pentru Reuters că Washingtonul speră, totodată, ca prin "
    "interacțiunea cu el să îl îndepărteze într-o oarecare măsură de președintele rus Vladimir Putin.":
        "The American side, which is seeking progress towards settling the war in Ukraine, says Lukashenko has "
        "given good advice. US officials told Reuters that Washington also hopes that engaging with him will "
        "draw him somewhat away from Russian President Vladimir Putin.",
    "Opoziția belarusă din exil susține că orice astfel de încercare este inutilă, deoarece Lukașenko depinde "
    "într-o mare măsură de sprijinul politic și economic al lui Putin.":
        "The Belarusian opposition in exile says any such attempt is futile, because Lukashenko depends heavily "
        "on Putin's political and economic support.",
    "Lukașenko susține că părțile discută despre redeschiderea ambasadei americane la Minsk, care a fost închisă "
    "imediat după ce Rusia a invadat Ucraina în februarie 2022, și măsurile de securitate necesare.":
        "Lukashenko says the two sides are discussing reopening the US embassy in Minsk, which was closed right "
        "after Russia invaded Ukraine in February 2022, and the security arrangements it would need.",
    "Belarus „nu se va abate” de la relațiile sale strânse cu Rusia":
        "Belarus “will not stray” from its close relations with Russia",
    "Liderul belarus a spus că apropierea de Statele Unite nu se va face în detrimentul niciunei alte țări și că "
    "el și Putin au o „înțelegere completă” asupra a ceea ce se întâmplă.":
        "The Belarusian leader said the rapprochement with the United States would not come at the expense of "
        "any other country, and that he and Putin have a “complete understanding” of what is happening.",
    "Belarus a menținut legături strânse cu Rusia încă de când a preluat puterea Lukașenko, în 1994. „Atâta timp "
    "cât sunt președinte, nu ne vom abate de la această politică”, a spus el.":
        "Belarus has kept close ties with Russia ever since Lukashenko took power in 1994. “As long as I am "
        "president, we will not stray from this policy,” he said.",
    "Joi, în conferința sa de presă anuală de la Minsk, Lukașenko a anunțat că racheta balistică rusă cu "
    "capacitate nucleară Oreșnik este desfășurată și în Belarus începând de miercuri.":
        "On Thursday, at his annual press conference in Minsk, Lukashenko announced that Russia's "
        "nuclear-capable Oreshnik ballistic missile has also been deployed in Belarus since Wednesday.",
}
TITLE = "Belarus se apropie de un acord major pentru restabilirea relațiilor cu SUA…"


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


_TABLE = {_key(k): v for k, v in ENGLISH.items()}


class _Libre(BaseHTTPRequestHandler):
    """POST /translate?q=..: {"translatedText": ...}; paragraphs (blank-line separated) one by one."""

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        params = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            params.update({k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()})
        pieces = [p for p in params.get("q", "").split("\n\n")]
        missing = [p for p in pieces if p.strip() and _key(p) not in _TABLE]
        if missing:
            body, status = json.dumps({"error": f"no hand-written translation for: {missing[0][:60]}"}), 400
        else:
            body, status = json.dumps({"translatedText": "\n\n".join(_TABLE.get(_key(p), p) for p in pieces)}), 200
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(REPO / "docs" / "screenshot-side-by-side.png"))
    ap.add_argument("--theme", default="light", choices=("light", "dark"))
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="reader-shot-")
    os.environ["READER_DATA_DIR"] = str(Path(home) / "data")
    os.environ["READER_CONFIG_DIR"] = str(Path(home) / "config")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Libre)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.environ["READER_LIBRE_URL"] = f"http://127.0.0.1:{server.server_address[1]}/"

    from PySide6.QtCore import QEventLoop, QTimer  # noqa: TID251 - a GUI script

    from reader.core.models import ListFilter
    from reader.gui.app import build, ensure_qapplication

    app = ensure_qapplication()
    parts = build(Path(home) / "library.db", theme=args.theme)
    w = parts.window
    w._restore_article = None
    w.resize(1440, 880)
    w.show()
    loop = QEventLoop()
    w.ready.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    w.start()
    loop.exec()
    article_id = next(i for i in parts.library.list_ids(ListFilter())
                      if parts.library.get_article(i).title == TITLE)
    w.splitter.setSizes([170, 420, 850])
    w.article_list.select_id(article_id)
    app.processEvents()
    w.reader_pane.set_mode("side_by_side")
    c = parts.translation
    done = QEventLoop()
    c.translation_changed.connect(lambda _id: done.quit() if c.state().complete and not c.busy() else None)
    c.status_changed.connect(lambda _s: done.quit() if c.state().complete and not c.busy() else None)
    QTimer.singleShot(30_000, done.quit)
    if not (c.state().complete and not c.busy()):
        done.exec()
    if not c.state().complete:
        sys.stderr.write(f"translation incomplete: {c.state().errors}\n")
        return 1
    settle = QEventLoop()  # the "Translation ready" note goes away by itself after a few seconds
    QTimer.singleShot(4500, settle.quit)
    settle.exec()
    for _ in range(10):
        app.processEvents()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = w.grab().save(str(out))
    parts.close()
    server.shutdown()
    print(f"wrote {out}" if ok else f"could not write {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
