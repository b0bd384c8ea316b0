"""Windows version information for the packaged app, made from ``planner.__version__``.

PyInstaller reads a text file holding a ``VSVersionInfo(...)`` expression (the format
``pyi-grab_version`` prints). It is written here from the package version so Explorer's
Properties ▸ Details shows the same version as Help ▸ About, with nothing kept by hand.
Only the Windows build uses it; the text is plain so it can be checked on any system.
"""

from __future__ import annotations

import re
from pathlib import Path

APP_NAME = "FTE Planner"
COMPANY = "FTE Planner project"
EXE_NAME = "FTE Planner.exe"


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3"`` → ``(1, 2, 3, 0)``; a suffix such as ``rc1`` or ``.dev0`` is dropped."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:4]]
    if not numbers:
        raise ValueError(f"Version {version!r} has no numbers.")
    padded = [*numbers, 0, 0, 0, 0][:4]
    return padded[0], padded[1], padded[2], padded[3]


def version_info_text(version: str) -> str:
    """The ``VSVersionInfo`` expression for ``version``."""
    fixed = version_tuple(version)
    dotted = ".".join(str(n) for n in fixed)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": APP_NAME,
        "FileVersion": dotted,
        "InternalName": APP_NAME,
        "LegalCopyright": f"© {COMPANY}",
        "OriginalFilename": EXE_NAME,
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }
    entries = ",\n".join(f"            StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={fixed},
    prodvers={fixed},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '080904B0',
        [
{entries}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [2057, 1200])])
  ]
)
"""


def write_version_info(version: str, path: Path) -> Path:
    """Write the version file (UTF-8) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_info_text(version), encoding="utf-8")
    return path
