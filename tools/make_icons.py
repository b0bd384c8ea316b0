"""Draw the app icon and write ``resources/icons/fteplan.png`` and ``fteplan.ico``.

Run once when the design changes (``python tools/make_icons.py``); the results are
committed. The mark is three rising bars over a level line (capacity against demand) in
Okabe-Ito blue, white on colour so it reads on light and dark taskbars. The .ico holds
16–256 px images as PNG entries (the ICO layout Windows has read since Vista), written
here because Qt's ICO writer stores only one size.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE, WHITE, ORANGE = QColor("#0072B2"), QColor("#FFFFFF"), QColor("#E69F00")


def draw(size: int) -> QImage:
    """The icon at ``size`` pixels, drawn on a 256-unit canvas."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)
    frame = QPainterPath()
    frame.addRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    p.fillPath(frame, BLUE)
    for i, height in enumerate((70, 110, 150)):
        left = 52 + i * 56
        p.fillRect(QRectF(left, 200 - height, 40, height), WHITE)
    pen = QPen(ORANGE, 16, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.drawLine(40, 104, 216, 104)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(images: list[QImage]) -> bytes:
    """An ICO file (ICONDIR, ICONDIRENTRY per image, then the PNG data)."""
    pngs = [png_bytes(img) for img in images]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    for img, data in zip(images, pngs, strict=True):
        side = img.width() if img.width() < 256 else 0  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(pngs)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    images = [draw(s) for s in SIZES]
    (OUT / "fteplan.png").write_bytes(png_bytes(images[-1]))
    (OUT / "fteplan.ico").write_bytes(ico_bytes(images))
    sizes = ", ".join(map(str, SIZES))
    print(f"Wrote {OUT / 'fteplan.png'} and {OUT / 'fteplan.ico'} ({sizes} px)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
