"""``tf.keras.utils.get_file``: download once, verify, cache under ``~/.keras``."""

import hashlib
import os
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile

from tensorflux.keras.utils.io_utils import print_msg
from tensorflux.keras.utils.progbar import Progbar

_CHUNK = 64 * 1024


def keras_home():
    """Keras' data folder: ``$KERAS_HOME`` if set, else ``~/.keras``."""
    return os.path.expanduser(os.environ.get("KERAS_HOME") or os.path.join("~", ".keras"))


def _hasher(algorithm, file_hash):
    if algorithm == "sha256" or (
        algorithm == "auto" and file_hash is not None and len(file_hash) == 64
    ):
        return hashlib.sha256()
    if algorithm in ("md5", "auto"):
        return hashlib.md5()
    raise ValueError(f'Unknown hash_algorithm "{algorithm}"; use "sha256", "md5" or "auto".')


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=_CHUNK):
    """Whether the file at ``fpath`` has the given sha256 or md5 hex digest.

    Args:
        fpath: path of the file.
        file_hash: the expected hex digest.
        algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (sha256 for 64 digits).
        chunk_size: bytes read at a time.

    Returns:
        True if the digest matches.
    """
    hasher = _hasher(algorithm, file_hash)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest() == str(file_hash)


def _cache_folder(cache_dir, cache_subdir):
    base = keras_home() if cache_dir is None else os.path.expanduser(cache_dir)
    datadir = os.path.join(base, cache_subdir)
    try:
        os.makedirs(datadir, exist_ok=True)
        writable = os.access(datadir, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        # A read-only home (some CI and cluster setups): Keras falls back to /tmp.
        datadir = os.path.join(tempfile.gettempdir(), ".keras", cache_subdir)
        os.makedirs(datadir, exist_ok=True)
    return datadir


def _download(origin, fpath):
    """Streams ``origin`` into ``fpath`` with a progress bar.

    The data goes to a temporary file in the same folder, renamed over ``fpath``
    only when complete, so an interrupted download never leaves a truncated file
    that a later run would take for the real one.
    """
    print_msg(f"Downloading data from {origin}")
    error = "URL fetch failure on {}: {} -- {}"
    fd, partial = tempfile.mkstemp(dir=os.path.dirname(fpath), prefix=".download-")
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                response = urllib.request.urlopen(origin)
            except urllib.error.HTTPError as e:
                raise OSError(error.format(origin, e.code, e.msg)) from e
            except urllib.error.URLError as e:
                raise OSError(error.format(origin, e.errno, e.reason)) from e
            with response:
                length = response.headers.get("Content-Length")
                total = int(length) if length else None
                progbar = Progbar(total)
                progbar.update(0)
                done = 0
                for chunk in iter(lambda: response.read(_CHUNK), b""):
                    out.write(chunk)
                    done += len(chunk)
                    if total is None or done < total:
                        progbar.update(done)
                progbar.update(done, finalize=True)
        os.replace(partial, fpath)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


def _extract_archive(file_path, path, archive_format="auto"):
    """Extracts a tar or zip archive into ``path``; returns whether it was one."""
    formats = ["tar", "zip"] if archive_format == "auto" else archive_format
    formats = [formats] if isinstance(formats, str) else formats
    for kind in formats:
        if kind == "tar" and tarfile.is_tarfile(file_path):
            opener = tarfile.open
        elif kind == "zip" and zipfile.is_zipfile(file_path):
            opener = zipfile.ZipFile
        else:
            continue
        with opener(file_path) as archive:
            if isinstance(archive, tarfile.TarFile) and hasattr(tarfile, "data_filter"):
                # Refuses members that would land outside `path` (absolute or ../
                # names, links out of the tree).
                archive.extractall(path, filter="data")
            else:
                archive.extractall(path)
        return True
    return False


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """Downloads a file from a URL unless it is already in the cache; returns its path.

    Files go to ``<cache_dir>/<cache_subdir>/<fname>``, where ``cache_dir`` defaults
    to ``$KERAS_HOME`` or ``~/.keras`` (``/tmp/.keras`` if that is not writable).
    A cached file whose hash does not match ``file_hash`` is downloaded again.
    Downloads print ``Downloading data from <origin>`` and a progress bar.

    Args:
        fname: the file's name in the cache; defaults to the last part of ``origin``.
        origin: the URL to download from.
        untar: (legacy) the file is a ``.tar.gz`` to extract; the path of the
            extracted folder (``fname`` without ``.tar.gz``) is returned.
        md5_hash: (legacy) an md5 hex digest to check.
        file_hash: the expected sha256 (or md5) hex digest of the file.
        cache_subdir: sub-folder of the cache (``"datasets"``).
        hash_algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (by digest length).
        extract: extract the archive next to it (the archive's path is returned,
            as in Keras 2).
        archive_format: ``"auto"``, ``"tar"``, ``"zip"`` or a list of them.
        cache_dir: the cache's root folder.
        force_download: download even if the file is cached.

    Returns:
        The path of the file (or of the extracted folder with ``untar``).

    Raises:
        ValueError: without ``origin``, or if the downloaded file's hash does not
            match ``file_hash``.
        OSError: if the download fails (``URL fetch failure on <origin>: ...``).

    >>> path = get_file("shakespeare.txt", "https://storage.googleapis.com/"
    ...                 "download.tensorflow.org/data/shakespeare.txt")  # doctest: +SKIP
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = _cache_folder(cache_dir, cache_subdir)
    fname = os.fspath(fname) if fname else os.path.basename(urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(
            f"Can't parse the file name from the origin provided: '{origin}'. "
            "Please specify the `fname` argument."
        )
    if untar:
        if fname.endswith(".tar.gz"):
            fname = fname[: -len(".tar.gz")]
        untar_path = os.path.join(datadir, fname)
        fpath = untar_path + ".tar.gz"
    else:
        fpath = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(fpath)
    if (
        not download
        and file_hash is not None
        and not validate_file(fpath, file_hash, hash_algorithm)
    ):
        print_msg(
            "A local file was found, but it seems to be incomplete or outdated because "
            f"the {_hasher(hash_algorithm, file_hash).name} file hash does not match "
            f"the original value of {file_hash} so we will re-download the data."
        )
        download = True
    if download:
        _download(origin, fpath)
        if file_hash is not None and not validate_file(fpath, file_hash, hash_algorithm):
            os.remove(fpath)
            raise ValueError(
                "Incomplete or corrupted file detected. The "
                f"{_hasher(hash_algorithm, file_hash).name} file hash does not "
                f"match the provided value of {file_hash}."
            )

    if untar:
        if not os.path.exists(untar_path):
            _extract_archive(fpath, datadir, archive_format="tar")
        return untar_path
    if extract:
        _extract_archive(fpath, datadir, archive_format)
    return fpath
