"""The functions a Keras SavedModel carries so that tf-keras can call layers it cannot
rebuild from their config.

tf-keras' ``load_model`` rebuilds each layer and model from its ``keras_metadata.pb``
record when it knows the class (built-in layers, Functional and Sequential models).
Subclassed models and custom layers it revives as plain layers whose ``call`` is the
SavedModel function ``keras_api.call_and_return_conditional_losses`` of their object:
``inputs -> (outputs, [losses the call added])``, also listed on the object as
``call_and_return_all_conditional_losses``. ``add_call_functions`` traces that function
for such layers only (tensorflux's own classes are rebuilt from config), on the input
specs each layer saw while the model's call was traced for ``serving_default``
(``recording_calls``).

Layers whose call, or a sublayer's call, takes ``training`` get the traces
``training=False`` and, when its ops can be written (a Dropout's random stream cannot),
``training=True``, as tf-keras saves them; the others one, and their metadata says they
take no ``training`` argument, so tf-keras calls them with the inputs alone.
"""

from __future__ import annotations

import contextlib
import functools

from tensorflux.engine.function import function as tf_function
from tensorflux.framework import nest
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.saved_model import function_codec

__all__ = ["is_custom", "recording_calls", "takes_training", "add_call_functions"]

CALL_FUNCTION = "call_and_return_conditional_losses"
ALL_LOSSES_FUNCTION = "call_and_return_all_conditional_losses"


def is_custom(layer) -> bool:
    """Whether ``layer`` is of a class of the user's (not one tf-keras knows by name)."""
    return not type(layer).__module__.startswith("tensorflux.")


def takes_training(layer) -> bool:
    """Whether tf-keras calls the revived ``layer`` with a ``training`` argument: its own
    call or a sublayer's takes one (tf-keras passes it down when any of them does)."""
    return any("training" in sub._call_spec for sub in layer._flatten_layers())


def _spec(value):
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is None or dtype is None:
        return value
    dims = shape.as_list() if shape.rank is not None else None
    if dims:
        # Any batch size, as tf-keras' traces take it.
        dims = [None] + dims[1:]
    return TensorSpec(dims, dtype, "inputs")


@contextlib.contextmanager
def recording_calls(layers):
    """Within it, each of ``layers`` records the input structure of its first call (as
    TensorSpecs of any batch size); yields ``{id(layer): spec}``."""
    specs: dict[int, object] = {}
    patched = []
    for layer in layers:
        if "call" in vars(layer):
            continue
        original = layer.call

        @functools.wraps(original)
        def call(inputs, *args, _layer=layer, _original=original, **kwargs):
            specs.setdefault(id(_layer), nest.map_structure(_spec, inputs))
            return _original(inputs, *args, **kwargs)

        vars(layer)["call"] = call
        patched.append(layer)
    try:
        yield specs
    finally:
        for layer in patched:
            del vars(layer)["call"]


def _conditional_losses(layer) -> list:
    return [loss for sub in layer._flatten_layers() for loss in sub._eager_losses]


def _call_function(layer, training: bool):
    """``inputs[, training] -> (outputs, losses)``, ``layer`` called in inference mode
    when it takes no ``training`` argument."""
    if training:

        def call_and_return_conditional_losses(inputs, training):
            outputs = layer(inputs, training=training)
            return outputs, _conditional_losses(layer)

    else:

        def call_and_return_conditional_losses(inputs):
            outputs = layer(inputs, training=False)
            return outputs, _conditional_losses(layer)

    return tf_function(call_and_return_conditional_losses)


def add_call_functions(export, path: str, layer, spec) -> bool:
    """Adds ``layer``'s ``call_and_return_conditional_losses`` at ``path`` in ``export``
    (under ``keras_api``, aliased on the object as ``call_and_return_all_conditional_
    losses``) for inputs of ``spec``; returns whether it takes ``training``."""
    training = takes_training(layer)
    fn = _call_function(layer, training)
    if isinstance(spec, list):
        # Several inputs reach the call as a tuple from tf-keras' fit, predict and
        # evaluate, which is how tf-keras traces them (a list then does not match).
        spec = tuple(spec)
    if training:
        concretes = [fn.get_concrete_function(spec, False)]
        training_call = fn.get_concrete_function(spec, True)
        try:
            function_codec.encode_function(training_call, training_call.name)
        except ValueError:
            # A training-mode op with no GraphDef form (a seeded Dropout's random
            # stream): the revived layer then serves inference only.
            pass
        else:
            concretes.append(training_call)
    else:
        concretes = [fn.get_concrete_function(spec)]
    prefix = f"{path}/" if path else ""
    export.functions[f"{prefix}keras_api/{CALL_FUNCTION}"] = concretes
    export.function_args[f"{prefix}keras_api/{CALL_FUNCTION}"] = (
        ["inputs", "training"] if training else ["inputs"]
    )
    export.untyped.add(f"{prefix}keras_api/{CALL_FUNCTION}")
    export.aliases.append((path, ALL_LOSSES_FUNCTION, f"{prefix}keras_api/{CALL_FUNCTION}"))
    return training
