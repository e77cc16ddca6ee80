import pytest

from duban.lib.env import SettingError, envbool, envfloat, envint, envlist, envstr


def test_envbool_reads_the_usual_words_and_refuses_others(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert envbool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert envbool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(SettingError, match="FLAG"):
        envbool("FLAG", False)


def test_envint_refuses_a_word(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(SettingError, match="N must be a whole number"):
        envint("N", 1)
    monkeypatch.delenv("N")
    assert envint("N", 7) == 7


def test_envstr_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("KEY_FILE", str(secret))
    assert envstr("KEY") == "s3cret"


def test_envlist_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.gov.cn, b.gov.cn,")
    assert envlist("HOSTS", []) == ["a.gov.cn", "b.gov.cn"]


def test_envfloat_reads_a_share_and_refuses_a_word(monkeypatch):
    monkeypatch.setenv("SHARE", "0.75")
    assert envfloat("SHARE", 0.5) == 0.75
    monkeypatch.setenv("SHARE", "七成")
    with pytest.raises(SettingError, match="SHARE must be a number"):
        envfloat("SHARE", 0.5)
