"""``tf.keras.models.clone_model``: the same architecture with new layers (and freshly
initialised weights), for functional and Sequential models."""

from __future__ import annotations

from tensorflux.framework import nest

__all__ = ["clone_model"]


def _clone_layer(layer):
    return layer.__class__.from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None):
    """A new model with the architecture of ``model`` and new layers.

    The weights are not copied (the new layers are initialised anew, as in Keras);
    use ``new.set_weights(model.get_weights())`` to copy them.

    Args:
        model: a functional or Sequential model.
        input_tensors: Keras tensors (from ``tf.keras.Input``) to build the clone on, in
            place of new inputs like the original's.
        clone_function: ``layer -> new layer``, called for every layer but the inputs;
            default ``layer.__class__.from_config(layer.get_config())``. Returning the
            layer itself shares it between the models.

    Returns:
        The clone (uncompiled).

    Raises:
        ValueError: a subclassed model (its ``call`` cannot be cloned), or
            ``input_tensors`` that do not match the model's inputs.

    >>> import tensorflux as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    >>> clone = tf.keras.models.clone_model(model)
    >>> clone.output_shape, clone.layers[0] is model.layers[0]
    ((None, 2), False)
    """
    from tensorflux.keras.models.functional import Functional
    from tensorflux.keras.models.sequential import Sequential

    clone_function = clone_function or _clone_layer
    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, clone_function)
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone_function)
    raise ValueError(
        "Expected `model` argument to be a functional `Model` instance, but got "
        f"a subclassed model instead: {model}. Subclassed models cannot be "
        "cloned; recreate them from their class."
    )


def _clone_sequential(model, input_tensors, clone_function):
    from tensorflux.keras.layers.input_layer import Input
    from tensorflux.keras.models.sequential import Sequential

    layers = [clone_function(layer) for layer in model.layers]
    if input_tensors is not None:
        inputs = nest.flatten(input_tensors)
        if len(inputs) != 1:
            raise ValueError(
                "To clone a `Sequential` model, we expect at most one tensor as "
                f"part of `input_tensors`. Received: input_tensors={input_tensors}"
            )
        return Sequential([inputs[0]._keras_history[0]] + layers, name=model.name)
    if model._graph_built:
        first = model.inputs[0]
        source = first._keras_history[0]
        new_input = Input(
            batch_shape=tuple(first.shape.as_list()), dtype=first.dtype, name=source.name
        )
        return Sequential([new_input._keras_history[0]] + layers, name=model.name)
    return Sequential(layers, name=model.name)


def _clone_functional(model, input_tensors, clone_function):
    from tensorflux.keras.layers.input_layer import Input
    from tensorflux.keras.models.functional import Functional

    if input_tensors is None:
        new_inputs = [
            Input(
                batch_shape=tuple(x.shape.as_list()), dtype=x.dtype, name=x._keras_history[0].name
            )
            for x in model.inputs
        ]
    else:
        new_inputs = nest.flatten(input_tensors)
        if len(new_inputs) != len(model.inputs):
            raise ValueError(
                f"`input_tensors` must have {len(model.inputs)} tensor(s), like "
                f"the model's inputs; received {len(new_inputs)}."
            )
    tensors = {id(old): new for old, new in zip(model.inputs, new_inputs)}
    clones = {}

    def swap(x):
        return tensors.get(id(x), x)

    for node in model._execution_order:
        layer = node.layer
        if id(layer) not in clones:
            clones[id(layer)] = clone_function(layer)
        outputs = clones[id(layer)](
            nest.map_structure(swap, node.call_inputs),
            *nest.map_structure(swap, list(node.call_args)),
            **nest.map_structure(swap, node.call_kwargs),
        )
        for old, new in zip(node.flat_outputs, nest.flatten(outputs)):
            tensors[id(old)] = new
    inputs = nest.pack_sequence_as(model._nested_inputs, new_inputs)
    outputs = nest.map_structure(swap, model._nested_outputs)
    return Functional(inputs, outputs, name=model.name)
