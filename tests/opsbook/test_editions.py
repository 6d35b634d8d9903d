"""The releases that changed each role (read by the attestation rules), from the same editions as the site."""

from __future__ import annotations

import shutil
from datetime import date

from opsbook.diff.editions import editions, role_releases
from opsbook.loader import load
from tests.checker.test_confirmations import patch  # adds a secretary that release 2 leaves alone
from tests.opsbook import release_repo


def test_the_first_release_changes_every_role_and_later_ones_what_they_touch(tmp_path):
    repo = release_repo.make(tmp_path / "hb", patch)
    handbook = load(repo).handbook
    found = role_releases(handbook, repo)
    assert found.order == ("1", "2") and found.dates["2"] == date(2026, 3, 2)
    assert found.changed == {"auditor": ("1", "2"), "boss": ("1", "2"), "clerk": ("1", "2"), "secretary": ("1",)}
    assert found.unreadable == () and found.rank("2") == 1 and found.rank("2026.9") == -1
    assert [e.readable for e in editions(handbook, repo)] == [True, True]


def test_outside_git_an_unreadable_release_is_taken_to_change_every_role(tmp_path):
    repo = release_repo.make(tmp_path / "hb", patch)
    copy = tmp_path / "exported"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    found = role_releases(load(copy).handbook, copy)
    assert found.unreadable == ("2",)
    assert all(versions == ("1", "2") for versions in found.changed.values())


def test_a_release_after_the_day_asked_about_is_not_read(tmp_path):
    repo = release_repo.make(tmp_path / "hb", patch)
    found = role_releases(load(repo).handbook, repo)
    assert found.for_role("clerk", until=date(2026, 3, 1)) == ("1",)
    assert "2" not in found.touched  # its diff, read from git, was not needed
    assert found.for_role("clerk", until=date(2026, 3, 2)) == ("1", "2")
    assert found.for_role("nobody") == ()


def test_pickled_for_spark_the_releases_are_read_in_full_first(tmp_path):
    import pickle

    repo = release_repo.make(tmp_path / "hb", patch)
    found = pickle.loads(pickle.dumps(role_releases(load(repo).handbook, repo)))
    assert found.root is None  # nothing left to read where the copy goes
    assert found.changed == {"auditor": ("1", "2"), "boss": ("1", "2"), "clerk": ("1", "2"), "secretary": ("1",)}
