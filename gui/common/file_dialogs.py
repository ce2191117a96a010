"""Every file dialog the window opens, made so that it never reads a file's contents.

Why: Qt's own file dialog (what Qt shows without a desktop portal) asked
``QMimeDatabase`` for each listed file's type, which opens the file and reads its
first bytes. Closing that descriptor dropped every POSIX lock the process held on an
open project (DESIGN.md, stack facts), so showing the project's folder in File → Open,
Merge, Import, Export or Save PNG let the next process to close the project delete the
WAL under the window. Here the type and the icon come from the name alone
(:class:`NameOnlyIconProvider`), and the dialog is always Qt's own: a native dialog
that runs in this process (GTK's, through the platform theme) sniffs files the same
way and cannot be told not to. ``core.store.connection`` is the second wall: it takes
the file back if something else in the process drops the locks after all.

Only this module may use ``QFileDialog`` (``tests/test_architecture.py``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QTreeView, QWidget

from core.store.files import SIDECAR_SUFFIXES


class NameOnlyIconProvider(QAbstractFileIconProvider):
    """Icons and the Type column from the file's name and kind, never its contents."""

    def icon(self, what: QFileInfo | QAbstractFileIconProvider.IconType) -> QIcon:
        style = QApplication.style()
        if isinstance(what, QFileInfo):
            folder = what.isDir()
        else:
            folder = what in (QAbstractFileIconProvider.IconType.Folder,
                              QAbstractFileIconProvider.IconType.Drive)
        return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon if folder
                                  else QStyle.StandardPixmap.SP_FileIcon)

    def type(self, info: QFileInfo) -> str:
        """What the Type column says, from the name: a project's own files by name."""
        if info.isDir():
            return "Folder"
        name = info.fileName()
        if name.endswith(".assay"):
            return "Assay project"
        if name.endswith(SIDECAR_SUFFIXES):
            return "Assay project's own file"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


_PROVIDER = NameOnlyIconProvider()  # Qt does not own it: it must outlive every dialog


def make_dialog(parent: QWidget | None, caption: str, folder: str | Path,
                filters: str = "") -> QFileDialog:
    """Qt's own file dialog with the name-only provider (what every function here shows)."""
    dialog = QFileDialog(parent, caption, str(folder), filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
    dialog.setIconProvider(_PROVIDER)
    dialog.resize(860, 520)
    details = dialog.findChild(QTreeView, "treeView")
    if details is not None:  # Qt's default widths cut "Assay project" and "168 KiB" short
        header = details.header()
        header.resizeSection(0, 320)
        header.resizeSection(1, 96)
        header.resizeSection(2, 170)
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    try:
        return dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []
    finally:
        dialog.deleteLater()


def open_file_name(parent: QWidget | None, caption: str, folder: str | Path,
                   filters: str = "") -> str:
    """One existing file to read, or "" when cancelled."""
    dialog = make_dialog(parent, caption, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return next(iter(_run(dialog)), "")


def open_file_names(parent: QWidget | None, caption: str, folder: str | Path,
                    filters: str = "") -> list[str]:
    """Existing files to read, or [] when cancelled."""
    dialog = make_dialog(parent, caption, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _run(dialog)


def save_file_name(parent: QWidget | None, caption: str, suggested: str | Path,
                   filters: str = "") -> str:
    """A file to write (the dialog asks before replacing one), or "" when cancelled."""
    dialog = make_dialog(parent, caption, suggested, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    return next(iter(_run(dialog)), "")


def existing_folder(parent: QWidget | None, caption: str, folder: str | Path) -> str:
    """A folder, or "" when cancelled."""
    dialog = make_dialog(parent, caption, folder)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return next(iter(_run(dialog)), "")
