"""SSH signatures through the `ssh-keygen` binary, as git uses them: no cryptography of our own.

People already have SSH keys (and often an agent and an allowed-signers file for git), so a reviewer
signs with `ssh-keygen -Y sign` and others check with `ssh-keygen -Y verify` against a list of allowed
signers. The message is whatever the caller passes (guaranteekit signs a report's content digest);
the namespace `guaranteekit` keeps a signature made here from being replayed as, say, a git one.

ssh-keygen is always run with an argument list (never a shell), the message on standard input and the
signature in a file inside a private temporary folder. Signing has no time limit because ssh-keygen
may ask for the key's passphrase on the terminal; checks do.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from guaranteekit.errors import GuaranteekitError, NotFoundError
from guaranteekit.textsafe import one_line

NAMESPACE = "guaranteekit"
"""SSH signature namespace of every guaranteekit signature."""

CHECK_TIMEOUT = 60
"""Seconds a verification may take before it is given up (it takes milliseconds)."""

_GOOD_KEY = re.compile(r"with (?P<type>\S+) key (?P<fingerprint>\S+)")
_NOISE = ("Signing data on standard input", "Signing file")


class SigningError(GuaranteekitError):
    """A signature could not be made or checked (as opposed to a signature that does not verify)."""


class SshKeygenMissing(SigningError):
    """The `ssh-keygen` program is not installed or not on PATH."""


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of checking one signature."""

    ok: bool
    """Whether ssh-keygen accepted the signature."""
    key: str = ""
    """The signing key as ssh-keygen names it, e.g. `ED25519 SHA256:5ygQ...` (when it verified)."""
    detail: str = ""
    """ssh-keygen's own words when it did not verify."""


def ssh_keygen() -> str:
    """Path of the ssh-keygen program; SshKeygenMissing with an install hint when there is none."""
    found = shutil.which("ssh-keygen")
    if found is None:
        raise SshKeygenMissing(
            "ssh-keygen not found on PATH: SSH signatures need OpenSSH 8.2 or later (package"
            " openssh-client on Debian and Ubuntu, openssh on most other systems)"
        )
    return found


def _run(
    args: list[str], message: bytes, *, timeout: float | None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            [ssh_keygen(), *args],
            input=message,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SigningError(
            f"ssh-keygen {args[0]} {args[1]} took over {timeout} s; gave up"
        ) from None
    except OSError as exc:
        raise SigningError(f"cannot run ssh-keygen: {exc.strerror}") from None


def _said(process: subprocess.CompletedProcess[bytes]) -> str:
    """What ssh-keygen said, on one line, without its progress chatter."""
    lines = process.stderr.decode("utf-8", "replace").splitlines()
    kept = [one_line(line) for line in lines if line.strip() and not line.startswith(_NOISE)]
    return "; ".join(kept) or f"ssh-keygen exited with status {process.returncode}"


def _key(process: subprocess.CompletedProcess[bytes]) -> str:
    text = (process.stdout + process.stderr).decode("utf-8", "replace")
    match = _GOOD_KEY.search(text)
    return f"{match['type']} {match['fingerprint']}" if match else ""


def sign(message: bytes, key: Path, *, namespace: str = NAMESPACE) -> str:
    """The armored SSH signature of `message` made with `key` (a private key, or a public key whose
    private half is in ssh-agent)."""
    key = Path(key)
    if not key.exists():
        raise NotFoundError(f"{key}: no such file (the SSH key to sign with)")
    process = _run(["-Y", "sign", "-n", namespace, "-f", str(key)], message, timeout=None)
    armored = process.stdout.decode("ascii", "replace").strip()
    if process.returncode != 0 or not armored.startswith("-----BEGIN SSH SIGNATURE-----"):
        raise SigningError(f"{key}: ssh-keygen could not sign: {_said(process)}")
    return armored + "\n"


def _with_signature_file(signature: str, args: list[str], message: bytes) -> Check:
    with tempfile.TemporaryDirectory(prefix="guaranteekit-sig-") as folder:
        # The folder is private to this user (mode 0700); ssh-keygen reads the signature from it.
        path = Path(folder) / "report.sig"
        path.write_text(signature if signature.endswith("\n") else signature + "\n", "ascii")
        process = _run([*args, "-s", str(path)], message, timeout=CHECK_TIMEOUT)
    if process.returncode == 0:
        return Check(True, key=_key(process))
    return Check(False, detail=_said(process))


def _ascii(signature: str) -> str | None:
    try:
        signature.encode("ascii")
    except UnicodeEncodeError:
        return None
    return signature


def check(message: bytes, signature: str, *, namespace: str = NAMESPACE) -> Check:
    """Whether `signature` is a good signature of `message` by whatever key made it.

    This proves the content was not changed since it was signed, not who signed it: for that, see
    `verify` with an allowed-signers list.
    """
    if _ascii(signature) is None:
        return Check(False, detail="the signature is not ASCII armor")
    return _with_signature_file(signature, ["-Y", "check-novalidate", "-n", namespace], message)


def verify(
    message: bytes,
    signature: str,
    signer: str,
    allowed_signers: Path,
    *,
    namespace: str = NAMESPACE,
) -> Check:
    """Whether `signature` is a good signature of `message` by a key `allowed_signers` lists for
    `signer` (and allows for the namespace, at the current time)."""
    allowed_signers = Path(allowed_signers)
    if not allowed_signers.is_file():
        raise NotFoundError(f"{allowed_signers}: no such file (the allowed-signers list)")
    if _ascii(signature) is None:
        return Check(False, detail="the signature is not ASCII armor")
    args = ["-Y", "verify", "-f", str(allowed_signers), "-I", signer, "-n", namespace]
    return _with_signature_file(signature, args, message)


def principals(signature: str, allowed_signers: Path) -> list[str]:
    """The principals `allowed_signers` lists for the key that made `signature` (may be empty)."""
    if _ascii(signature) is None:
        return []
    with tempfile.TemporaryDirectory(prefix="guaranteekit-sig-") as folder:
        path = Path(folder) / "report.sig"
        path.write_text(signature if signature.endswith("\n") else signature + "\n", "ascii")
        process = _run(
            ["-Y", "find-principals", "-f", str(allowed_signers), "-s", str(path)],
            b"",
            timeout=CHECK_TIMEOUT,
        )
    if process.returncode != 0:
        return []
    names = process.stdout.decode("utf-8", "replace").splitlines()
    return [one_line(name) for name in names if name.strip()]


def public_key_line(key: Path) -> str:
    """`type base64` of a key's public half (from `KEY.pub`, or derived from the private key), as an
    allowed-signers line needs it."""
    key = Path(key)
    pub = key if key.suffix == ".pub" else key.with_name(key.name + ".pub")
    if pub.is_file():
        text = pub.read_text("utf-8", "replace")
    else:
        process = _run(["-y", "-f", str(key)], b"", timeout=CHECK_TIMEOUT)
        if process.returncode != 0:
            raise SigningError(f"{key}: cannot read the public key: {_said(process)}")
        text = process.stdout.decode("utf-8", "replace")
    fields = text.split()
    if len(fields) < 2:
        raise SigningError(f"{pub}: not an SSH public key")
    return f"{fields[0]} {fields[1]}"


def allowed_signers_line(signer: str, key: Path, *, namespace: str = NAMESPACE) -> str:
    """One line of an allowed-signers file that lets `key` sign as `signer` in our namespace."""
    return f'{signer} namespaces="{namespace}" {public_key_line(key)}\n'
