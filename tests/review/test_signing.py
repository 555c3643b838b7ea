"""SSH signatures with throwaway keys made by ssh-keygen in the test: sign through the CLI, verify
with and without an allowed-signers list, and see one edited character or a foreign key refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from guaranteekit.cli.parser import main
from guaranteekit.formats.assessment import (
    content_digest,
    finalize,
    load_report,
    save_report,
    with_answer,
)
from guaranteekit.formats.models import CriteriaSet, Report
from guaranteekit.review import signing
from guaranteekit.review import trail as review

ALICE = "alice@example.org"


def verify_json(
    capsys: pytest.CaptureFixture[str], path: Path, *more: str
) -> tuple[int, list[tuple[str, str, str]], dict]:
    code = main(["verify", "--format", "json", str(path), *more])
    found = json.loads(capsys.readouterr().out)["files"][0]
    problems = [(p["severity"], p["code"], p["where"]) for p in found["problems"]]
    return code, problems, found


@pytest.fixture
def signed(
    report: Report,
    saved: Callable[[Report, str], Path],
    make_key: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
) -> tuple[Path, Path]:
    """A report signed by alice through `guaranteekit sign`; returns (report path, alice's key)."""
    report = review.sign_off(report, "Alice", "approved")
    path = saved(report, "report.toml")
    key = make_key("alice")
    assert main(["sign", str(path), "--key", str(key), "--signer", ALICE]) == 0
    out = capsys.readouterr().out
    assert f"{path}: signed as {ALICE} with ED25519 SHA256:" in out
    return path, key


def test_sign_then_verify_against_the_allowed_signers(
    signed: tuple[Path, Path],
    allowed_signers: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, key = signed
    [signature] = load_report(path).review.signatures
    assert signature.signer == ALICE and signature.namespace == "guaranteekit"
    assert signature.content_digest == content_digest(load_report(path))
    assert signature.signature.startswith("-----BEGIN SSH SIGNATURE-----")

    allowed = allowed_signers((ALICE, key))
    code, problems, found = verify_json(capsys, path, "--allowed-signers", str(allowed))
    assert (code, problems) == (0, [])
    [summary] = found["summary"]["review"]["signatures"]
    assert summary["signer"] == ALICE and summary["valid"] and summary["trusted"] is True
    assert summary["key"].startswith("ED25519 SHA256:")

    # Without a list the signature is still checked over the content, and verify says who signed
    # is not established.
    code, problems, found = verify_json(capsys, path)
    assert (code, problems) == (0, [("warning", "signature-unchecked", "review.signatures")])
    assert found["summary"]["review"]["signatures"][0]["trusted"] is None


def test_one_edited_character_fails_verification(
    signed: tuple[Path, Path],
    allowed_signers: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, key = signed
    text = path.read_text()
    assert text.count("A small contingent.") == 1
    path.write_text(text.replace("A small contingent.", "A small contingent!"))
    allowed = allowed_signers((ALICE, key))
    code, problems, _ = verify_json(capsys, path, "--allowed-signers", str(allowed))
    assert code == 1
    assert ("error", "signature-invalid", f"review.signatures[0] ({ALICE})") in problems
    assert ("error", "digest-mismatch", "digest") in problems


def test_a_properly_saved_change_still_fails_the_signature(
    signed: tuple[Path, Path],
    mini: CriteriaSet,
    allowed_signers: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Re-saved with guaranteekit (digest and results up to date): only the signature and the
    # sign-off can tell that this is not the content alice approved.
    path, key = signed
    report = load_report(path)
    answer = report.answer("force")
    assert answer is not None
    report = finalize(
        with_answer(report, answer.model_copy(update={"rationale": "A large one."})), mini
    )
    save_report(path, report)
    code, problems, found = verify_json(
        capsys, path, "--allowed-signers", str(allowed_signers((ALICE, key)))
    )
    assert code == 1
    assert problems == [
        ("error", "signoff-stale", "review.entries[0]"),
        ("error", "signature-invalid", f"review.signatures[0] ({ALICE})"),
    ]
    assert "changed after it was signed" in found["problems"][1]["message"]


def test_a_forged_signature_fails_even_with_the_digest_field_updated(
    signed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Someone changes an answer and also rewrites the signed digest: the SSH signature itself fails.
    path, _ = signed
    report = load_report(path)
    answer = report.answer("force")
    assert answer is not None
    edited = report.model_copy(
        update={
            "answers": [
                a if a.criterion != "force" else answer.model_copy(update={"rationale": "X"})
                for a in report.answers
            ]
        }
    )
    forged = edited.review.signatures[0].model_copy(
        update={"content_digest": content_digest(edited)}
    )
    checks = review.check_signatures(
        edited.model_copy(
            update={"review": edited.review.model_copy(update={"signatures": [forged]})}
        )
    )
    assert [(c.valid, c.trusted) for c in checks] == [(False, None)]
    assert "Signature verification failed" in checks[0].detail


def test_a_list_without_the_key_refuses_the_signature(
    signed: tuple[Path, Path],
    make_key: Callable[[str], Path],
    allowed_signers: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, alice_key = signed
    mallory_key = make_key("mallory")

    # alice is listed, but with another key.
    lacking = allowed_signers((ALICE, mallory_key), name="lacking")
    code, problems, found = verify_json(capsys, path, "--allowed-signers", str(lacking))
    assert (code, problems) == (
        1,
        [("error", "signature-untrusted", f"review.signatures[0] ({ALICE})")],
    )
    assert "does not list the key ED25519 SHA256:" in found["problems"][0]["message"]
    assert found["summary"]["review"]["signatures"][0]["trusted"] is False

    # The key is listed, but for somebody else.
    other = allowed_signers(("bob@example.org", alice_key), name="other")
    code, problems, found = verify_json(capsys, path, "--allowed-signers", str(other))
    assert code == 1
    assert f"for bob@example.org, not {ALICE}" in found["problems"][0]["message"]


def test_a_key_listed_for_another_namespace_is_refused(
    signed: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, key = signed
    kind, blob = key.with_name("alice.pub").read_text().split()[:2]
    allowed = tmp_path / "git_only"
    allowed.write_text(f'{ALICE} namespaces="git" {kind} {blob}\n')
    code, problems, _ = verify_json(capsys, path, "--allowed-signers", str(allowed))
    assert (code, [p[1] for p in problems]) == (1, ["signature-untrusted"])


def test_resigning_replaces_own_and_drops_stale_signatures(
    signed: tuple[Path, Path],
    mini: CriteriaSet,
    make_key: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, alice_key = signed
    bob_key = make_key("bob")
    assert main(["sign", str(path), "--key", str(bob_key), "--signer", "bob@example.org"]) == 0
    assert main(["sign", str(path), "--key", str(alice_key), "--signer", ALICE]) == 0
    assert [s.signer for s in load_report(path).review.signatures] == ["bob@example.org", ALICE]
    capsys.readouterr()

    report = load_report(path)
    answer = report.answer("force")
    assert answer is not None
    save_report(
        path, finalize(with_answer(report, answer.model_copy(update={"level": "many"})), mini)
    )
    assert main(["sign", str(path), "--key", str(alice_key), "--signer", ALICE]) == 0
    assert "dropped 2 earlier signature(s)" in capsys.readouterr().err
    assert [s.signer for s in load_report(path).review.signatures] == [ALICE]


def test_sign_refuses_bad_requests_without_writing(
    signed: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, key = signed
    before = path.read_bytes()
    assert main(["sign", str(path), "--key", str(tmp_path / "nokey"), "--signer", ALICE]) == 2
    assert "nokey: no such file" in capsys.readouterr().err
    assert main(["sign", str(path), "--key", str(key), "--signer", "Alice Smith"]) == 1
    assert "no spaces, commas or quotes" in capsys.readouterr().err
    assert main(["sign", str(tmp_path / "none.toml"), "--key", str(key), "--signer", ALICE]) == 2
    capsys.readouterr()
    assert path.read_bytes() == before

    # A hand-edited report is not signed.
    path.write_text(before.decode().replace("A small contingent.", "A small contingent!"))
    assert main(["sign", str(path), "--key", str(key), "--signer", ALICE]) == 1
    err = capsys.readouterr().err
    assert f"{path}: digest: the report does not match its digest" in err
    assert "Traceback" not in err


def test_a_key_ssh_keygen_cannot_use_is_a_clear_error(
    report: Report,
    saved: Callable[[Report, str], Path],
    tmp_path: Path,
    make_key: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_key("unused")  # skips the test where there is no ssh-keygen
    path = saved(report, "report.toml")
    junk = tmp_path / "junk"
    junk.write_text("not a key\n")
    assert main(["sign", str(path), "--key", str(junk), "--signer", ALICE]) == 1
    err = capsys.readouterr().err
    assert f"guaranteekit: {junk}: ssh-keygen could not sign:" in err
    assert len(err.strip().splitlines()) == 1


def test_without_ssh_keygen(
    signed: tuple[Path, Path],
    allowed_signers: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, key = signed
    allowed = allowed_signers((ALICE, key))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["sign", str(path), "--key", str(key), "--signer", ALICE]) == 1
    assert "ssh-keygen not found on PATH" in capsys.readouterr().err
    code, problems, _ = verify_json(capsys, path, "--allowed-signers", str(allowed))
    assert (code, problems) == (2, [("error", "ssh-keygen-missing", "review.signatures")])


def test_a_missing_allowed_signers_file_means_verify_could_not_run(
    signed: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = signed
    code, problems, _ = verify_json(capsys, path, "--allowed-signers", str(tmp_path / "nope"))
    assert code == 2
    assert ("error", "allowed-signers-missing", "") in problems


def test_an_unsigned_report_checked_against_a_list_is_a_warning(
    report: Report,
    saved: Callable[[Report, str], Path],
    make_key: Callable[[str], Path],
    allowed_signers: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = saved(report, "report.toml")
    allowed = allowed_signers((ALICE, make_key("alice")))
    code, problems, _ = verify_json(capsys, path, "--allowed-signers", str(allowed))
    assert (code, problems) == (0, [("warning", "unsigned", "review.signatures")])


def test_signing_module_round_trip(make_key: Callable[[str], Path], tmp_path: Path) -> None:
    key = make_key("k")
    armored = signing.sign(b"sha256:abc", key)
    assert signing.check(b"sha256:abc", armored).ok
    assert not signing.check(b"sha256:abd", armored).ok
    assert not signing.check(b"sha256:abc", armored, namespace="git").ok
    assert not signing.check(b"sha256:abc", "-----BEGIN SSH SIGNATURE-----\nxx\n").ok
    assert not signing.check(b"sha256:abc", "sïgnature").ok
    allowed = tmp_path / "allowed"
    allowed.write_text(signing.allowed_signers_line(ALICE, key))
    assert signing.verify(b"sha256:abc", armored, ALICE, allowed).ok
    assert signing.principals(armored, allowed) == [ALICE]


def _forge(path: Path, mini: CriteriaSet) -> None:
    """What the attack did: after signing, append an approval by another name and re-save with
    guaranteekit (`score --write`), so that digest and results match."""
    report = review.sign_off(load_report(path), "Mallory", "approved")
    save_report(path, finalize(report, mini))
    assert main(["score", str(path), "--write"]) == 0


def test_a_sign_off_added_after_signing_fails_against_the_allowed_signers(
    signed: tuple[Path, Path],
    mini: CriteriaSet,
    allowed_signers: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, key = signed
    _forge(path, mini)
    capsys.readouterr()
    allowed = allowed_signers((ALICE, key))
    code, problems, found = verify_json(capsys, path, "--allowed-signers", str(allowed))
    assert code == 1
    assert problems == [
        ("warning", "trail-unsigned", "review.entries[1]"),
        ("error", "signoff-unsigned", "review.entries[1]"),
    ]
    assert "the sign-off by Mallory" in found["problems"][1]["message"]
    assert "no trusted signature covers it" in found["problems"][1]["message"]
    # Alice's signature itself still holds: it covers what she signed, and nothing after it.
    assert found["summary"]["review"]["signatures"][0]["valid"] is True
    # Without the list, verify says the new entry is not covered by any signature.
    code, problems, _ = verify_json(capsys, path)
    assert ("warning", "trail-unsigned", "review.entries[1]") in problems


def test_an_assessor_changed_after_signing_breaks_the_signature(
    signed: tuple[Path, Path],
    mini: CriteriaSet,
    allowed_signers: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, key = signed
    report = load_report(path)
    provenance = report.provenance.model_copy(update={"assessor": "Somebody Else"})
    save_report(path, finalize(report.model_copy(update={"provenance": provenance}), mini))
    code, problems, found = verify_json(
        capsys, path, "--allowed-signers", str(allowed_signers((ALICE, key)))
    )
    assert code == 1
    assert ("error", "signature-invalid", f"review.signatures[0] ({ALICE})") in problems
    assert "provenance or the review trail" in found["problems"][0]["message"]


def test_an_entry_edited_among_the_signed_ones_breaks_the_signature(
    signed: tuple[Path, Path], mini: CriteriaSet, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = signed
    report = load_report(path)
    [entry] = report.review.entries
    forged = entry.model_copy(update={"author": "Mallory"})
    review_ = report.review.model_copy(update={"entries": [forged]})
    save_report(path, finalize(report.model_copy(update={"review": review_}), mini))
    code, problems, _ = verify_json(capsys, path)
    assert code == 1
    assert ("error", "signature-invalid", f"review.signatures[0] ({ALICE})") in problems


def test_a_sign_off_counts_only_when_its_author_signs_it(
    report: Report,
    saved: Callable[[Report, str], Path],
    make_key: Callable[[str], Path],
    allowed_signers: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Mallory, a trusted signer, forges Rita's approval and signs it with his own key.
    path = saved(review.sign_off(report, "Rita", "approved"), "report.toml")
    mallory = make_key("mallory")
    assert main(["sign", str(path), "--key", str(mallory), "--signer", "mallory@x.org"]) == 0
    capsys.readouterr()
    rita = make_key("rita")
    allowed = allowed_signers(("mallory@x.org", mallory), ("rita@x.org", rita))
    code, problems, found = verify_json(capsys, path, "--allowed-signers", str(allowed))
    assert (code, problems) == (1, [("error", "signoff-unsigned", "review.entries[0]")])
    message = found["problems"][0]["message"]
    assert "it names 'Rita' but is signed by mallory@x.org only" in message

    # Rita signs too: her sign-off is hers.
    assert main(["sign", str(path), "--key", str(rita), "--signer", "rita@x.org"]) == 0
    capsys.readouterr()
    code, problems, _ = verify_json(capsys, path, "--allowed-signers", str(allowed))
    assert (code, problems) == (0, [])


def test_a_signature_made_before_the_trail_was_signed_still_verifies_the_content(
    signed: tuple[Path, Path],
    mini: CriteriaSet,
    make_key: Callable[[str], Path],
    allowed_signers: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The signature format of the first release: the content digest alone was signed.
    path, key = signed
    report = load_report(path)
    content = content_digest(report)
    old = report.review.signatures[0].model_copy(
        update={
            "signature": signing.sign(content.encode("ascii"), key),
            "trail_digest": None,
            "entries": None,
        }
    )
    review_ = report.review.model_copy(update={"signatures": [old]})
    save_report(path, finalize(report.model_copy(update={"review": review_}), mini))
    allowed = allowed_signers((ALICE, key))
    code, problems, _ = verify_json(capsys, path, "--allowed-signers", str(allowed))
    assert code == 1
    assert problems == [
        ("warning", "trail-unsigned", "review.entries[0]"),
        ("error", "signoff-unsigned", "review.entries[0]"),
    ]
    code, problems, _ = verify_json(capsys, path)
    assert (code, [p[1] for p in problems]) == (0, ["trail-unsigned", "signature-unchecked"])


@pytest.mark.parametrize(
    ("author", "principal", "binds"),
    [
        ("Alice", ALICE, True),
        ("alice@example.org", ALICE, True),
        ("Rita Analyst", "rita@example.org", True),
        ("Rita Analyst", "rita.analyst@example.org", True),
        ("Mallory", "rita@example.org", False),
        ("Rita", "mallory@example.org", False),
        ("  ", ALICE, False),
    ],
)
def test_a_sign_off_author_binds_to_a_principal(author: str, principal: str, binds: bool) -> None:
    assert review.is_author(author, principal) is binds
