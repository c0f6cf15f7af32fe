"""tf.saved_model.experimental: fingerprints read back from the SavedModels we write
(TF 2.21's read_fingerprint gives the same numbers for them), and VariablePolicy."""

import pytest

import tensorflux as tf

EXP = tf.saved_model.experimental


class _Doubler(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable(2.0)

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def f(self, x):
        return x * self.v


def test_read_fingerprint_of_a_saved_model(tmp_path):
    tf.saved_model.save(_Doubler(), str(tmp_path))
    fp = EXP.read_fingerprint(str(tmp_path))
    hashes = [fp.graph_def_program_hash, fp.signature_def_hash]
    hashes += [fp.saved_object_graph_hash, fp.checkpoint_hash]
    assert all(isinstance(h, int) and 0 <= h < 2**64 for h in hashes)
    assert fp.singleprint() == "/".join(str(h) for h in hashes)
    assert fp.version.producer == 4 and str(fp.version) == "producer: 4\n"
    assert repr(fp).startswith(f"Fingerprint({fp.saved_model_checksum}, ")
    assert str(fp).splitlines()[0] == "SavedModel Fingerprint"


def test_fingerprint_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="Could not find fingerprint in directory"):
        EXP.read_fingerprint(str(tmp_path))
    (tmp_path / "fingerprint.pb").write_bytes(b"\xff\xff")
    with pytest.raises(RuntimeError, match="Could not read fingerprint from fingerprint.pb"):
        EXP.read_fingerprint(str(tmp_path))
    with pytest.raises(ValueError, match="invalid fingerprint values"):
        EXP.Fingerprint(1, 2, None, 4, 5).singleprint()


def test_fingerprints_compare_by_their_hashes():
    assert EXP.Fingerprint(1, 2, 3, 4, 5) == EXP.Fingerprint(1, 2, 3, 4, 5)
    assert EXP.Fingerprint(1, 2, 3, 4, 5) != EXP.Fingerprint(1, 2, 3, 4, 6)
    assert repr(EXP.Fingerprint(1, 2, 3, 4, 5)) == "Fingerprint(1, 2, 3, 4, 5)"


def test_save_options_take_a_variable_policy_by_name():
    options = tf.saved_model.SaveOptions(experimental_variable_policy="SAVE_VARIABLE_DEVICES")
    assert options.experimental_variable_policy is EXP.VariablePolicy.SAVE_VARIABLE_DEVICES
    assert tf.saved_model.SaveOptions().experimental_variable_policy is EXP.VariablePolicy.NONE
    with pytest.raises(ValueError, match="Received invalid VariablePolicy value: bad."):
        tf.saved_model.SaveOptions(experimental_variable_policy="bad")
