"""The kernel-cache check: Numba's index files go when any kernel package's source changes."""

from __future__ import annotations

from alumni_net.core.jitcache import KERNEL_PACKAGES, refresh_kernel_cache


def _tree(tmp_path):
    for d in KERNEL_PACKAGES:
        (tmp_path / d / "__pycache__").mkdir(parents=True)
        (tmp_path / d / "kernels.py").write_text(f"# {d}\n")
    return tmp_path


def _index(root, d="abm"):
    path = root / d / "__pycache__" / "kernels.run-1.py313.nbi"
    path.write_bytes(b"index")
    return path


def test_an_edit_anywhere_in_the_kernel_packages_drops_every_cache_index(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    root = _tree(tmp_path)
    assert refresh_kernel_cache(root)  # first look: no stamp yet
    index, other = _index(root), _index(root, "metrics")
    data = root / "abm" / "__pycache__" / "kernels.run-1.py313.1.nbc"
    data.write_bytes(b"code")
    assert not refresh_kernel_cache(root)  # nothing changed: the cache is kept
    assert index.exists() and other.exists()
    # an edit of a module that a cached kernel in *another* module calls (what Numba misses)
    (root / "experiments/recruitment" / "kernels.py").write_text("# edited\n")
    assert refresh_kernel_cache(root)
    assert not index.exists() and not other.exists()
    assert data.exists()  # the compiled code stays; without its index Numba recompiles
    assert not refresh_kernel_cache(root)
    (root / "abm" / "new_module.py").write_text("x = 1\n")  # a new module counts too
    _index(root)
    assert refresh_kernel_cache(root)


def test_with_numba_cache_dir_set_nothing_is_checked(tmp_path, monkeypatch):
    root = _tree(tmp_path)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert not refresh_kernel_cache(root)
    assert not (root / "abm" / "__pycache__" / "kernels.stamp").exists()
