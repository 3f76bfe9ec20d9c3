"""Derived files are written atomically: the old file or the new one, never a torn one."""

import os

import pytest

from app.files import write_atomically


def test_a_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "districts.geojson"
    target.write_text("alt")
    write_atomically(target, lambda path: path.write_text("neu"))
    assert target.read_text() == "neu"
    assert os.listdir(tmp_path) == ["districts.geojson"]


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_debris(tmp_path):
    target = tmp_path / "districts.geojson"
    target.write_text("alt")

    def half(path):  # noqa: ANN001, ANN202
        path.write_text('{"type": "FeatureCollection", "features": [')
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, half)
    assert target.read_text() == "alt"
    assert os.listdir(tmp_path) == ["districts.geojson"]


def test_the_folder_is_made_if_missing(tmp_path):
    target = tmp_path / "neu" / "daten" / "x.json"
    write_atomically(target, lambda path: path.write_text("{}"))
    assert target.read_text() == "{}"
