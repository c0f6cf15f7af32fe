"""``tf.keras.utils.plot_model`` and ``model_to_dot``: a model's layer graph drawn
with pydot and Graphviz (an optional extra: ``pip install tensorflux[plot]`` and
Graphviz's ``dot`` program)."""

import os
import re
import sys

from tensorflux.framework import nest
from tensorflux.keras.utils.io_utils import print_msg

__all__ = ["model_to_dot", "plot_model"]

_PLOT_MESSAGE = (
    "You must install pydot (`pip install pydot`) and install graphviz (see "
    "instructions at https://graphviz.gitlab.io/download/) for plot_model to work."
)


def _pydot():
    """The pydot module (or one of its forks, as Keras tries them), or None."""
    for name in ("pydot_ng", "pydotplus", "pydot"):
        try:
            return __import__(name)
        except ImportError:
            continue
    return None


def check_pydot():
    """Whether pydot can be imported."""
    return _pydot() is not None


def check_graphviz():
    """Whether pydot and Graphviz's ``dot`` program are both available."""
    pydot = _pydot()
    if pydot is None:
        return False
    try:
        pydot.Dot.create(pydot.Dot())
        return True
    except (OSError, FileNotFoundError):
        return False
    except pydot.InvocationException:
        return False


def _is_functional(layer):
    from tensorflux.keras.models.functional import Functional

    return isinstance(layer, Functional)


def _wrapped(layer):
    """The layer inside a TimeDistributed or Bidirectional wrapper, else None."""
    from tensorflux.keras.layers.rnn.bidirectional import Bidirectional
    from tensorflux.keras.layers.rnn.time_distributed import TimeDistributed

    if isinstance(layer, (TimeDistributed, Bidirectional)):
        return layer.layer
    return None


def _is_wrapped_model(layer):
    return _is_functional(_wrapped(layer))


def _add_edge(pydot, dot, src, dst):
    if not dot.get_edge(src, dst):
        dot.add_edge(pydot.Edge(src, dst))


def _layer_index_bounds(model, layer_range):
    """``[first, last + 1]`` of the layers whose names match the two patterns."""
    if len(layer_range) != 2:
        raise ValueError(
            "layer_range must be of shape (2,). Received: "
            f"layer_range = {layer_range} of length {len(layer_range)}"
        )
    if not isinstance(layer_range[0], str) or not isinstance(layer_range[1], str):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    names = [layer.name for layer in model.layers]
    lower = [i for i, name in enumerate(names) if re.match(layer_range[0], name)]
    upper = [i for i, name in enumerate(names) if re.match(layer_range[1], name)]
    if not lower or not upper:
        raise ValueError(
            f"Passed layer_names do not match the layer names in the model. Received: {layer_range}"
        )
    if min(lower) > max(upper):
        bounds = [min(upper), max(lower) + 1]
    else:
        bounds = [min(lower), max(upper) + 1]
    if bounds[0] < 0 or bounds[1] > len(model.layers):
        raise ValueError(
            "Both values in layer_range should be in range (0, "
            f"{len(model.layers)}. Received: {bounds}"
        )
    return bounds


def _format_shape(shape):
    return str(shape).replace("{", r"\{").replace("}", r"\}")


def _activation_name(activation):
    if hasattr(activation, "name"):
        return activation.name
    if hasattr(activation, "__name__"):
        return activation.__name__
    return str(activation)


def _label(layer, layer_name, class_name, options):
    label = class_name
    activation = getattr(layer, "activation", None)
    if options["show_layer_activations"] and activation is not None:
        label = "{%s|%s}" % (label, _activation_name(activation))
    if options["show_layer_names"]:
        label = f"{layer_name}|{label}"
    if options["show_dtype"]:
        label = f"{label}|{'?' if layer.dtype is None else layer.dtype}"
    if options["show_shapes"]:
        try:
            outputs = _format_shape(layer.output_shape)
        except AttributeError:
            outputs = "?"
        try:
            inputs = _format_shape(layer.input_shape)
        except AttributeError:
            inputs = "?"
        label = "{%s}|{input:|output:}|{{%s}|{%s}}" % (label, inputs, outputs)
    if options["show_trainable"]:
        label = f"{'T' if layer.trainable else 'NT'}|{label}"
    return label


def model_to_dot(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=96,
    subgraph=False,
    layer_range=None,
    show_layer_activations=False,
    show_trainable=False,
):
    """A model's layer graph as a ``pydot.Dot`` (or ``pydot.Cluster`` with
    ``subgraph``): one record node per layer, one edge per connection.

    Args:
        model: a built Keras model.
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's dtype.
        show_layer_names: show the layer names.
        rankdir: Graphviz's direction, "TB" (vertical) or "LR" (horizontal).
        expand_nested: draw nested models as clusters of their layers.
        dpi: the image resolution.
        subgraph: return a ``pydot.Cluster`` (used for nested models).
        layer_range: two name patterns (``re.match``) bounding the layers drawn.
        show_layer_activations: show the activation of layers that have one.
        show_trainable: mark layers "T" (trainable) or "NT".

    Returns:
        The ``pydot.Dot`` (or ``pydot.Cluster``).

    Raises:
        ValueError: the model is not built, or a bad ``layer_range``.
        ImportError: pydot is not installed.

    >>> dot = model_to_dot(model, show_shapes=True)  # doctest: +SKIP
    """
    if not model.built:
        raise ValueError(
            "This model has not yet been built. Build the model first by calling "
            "`build()` or by calling the model on a batch of data."
        )
    pydot = _pydot()
    if pydot is None:
        raise ImportError("You must install pydot (`pip install pydot`) for model_to_dot to work.")
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set_node_defaults(shape="record")
    if layer_range is not None:
        layer_range = _layer_index_bounds(model, layer_range)
    if not _is_functional(model) or not hasattr(model, "_graph_nodes"):
        dot.add_node(pydot.Node(str(id(model)), label=model.name))
        return dot
    # The graph's layers, the InputLayer included (also for Sequential models).
    layers = list(model._graph_layers)
    options = {
        "show_shapes": show_shapes,
        "show_dtype": show_dtype,
        "show_layer_names": show_layer_names,
        "show_layer_activations": show_layer_activations,
        "show_trainable": show_trainable,
    }
    nested_args = (show_shapes, show_dtype, show_layer_names, rankdir, expand_nested)
    nested_kwargs = {
        "subgraph": True,
        "show_layer_activations": show_layer_activations,
        "show_trainable": show_trainable,
    }
    first_node, last_node = {}, {}
    for i, layer in enumerate(layers):
        if layer_range and (i < layer_range[0] or i >= layer_range[1]):
            continue
        layer_name, class_name = layer.name, type(layer).__name__
        inner = _wrapped(layer)
        if inner is not None:
            if expand_nested and _is_functional(inner):
                cluster = model_to_dot(inner, *nested_args, **nested_kwargs)
                nodes = cluster.get_nodes()
                first_node[inner.name], last_node[inner.name] = nodes[0], nodes[-1]
                dot.add_subgraph(cluster)
            else:
                layer_name = f"{layer_name}({inner.name})"
                class_name = f"{class_name}({type(inner).__name__})"
        if expand_nested and _is_functional(layer):
            cluster = model_to_dot(layer, *nested_args, **nested_kwargs)
            nodes = cluster.get_nodes()
            first_node[layer.name], last_node[layer.name] = nodes[0], nodes[-1]
            dot.add_subgraph(cluster)
        if not expand_nested or not _is_functional(layer):
            label = _label(layer, layer_name, class_name, options)
            dot.add_node(pydot.Node(str(id(layer)), label=label))
    for i, layer in enumerate(layers):
        if layer_range and (i <= layer_range[0] or i >= layer_range[1]):
            continue
        for node in layer._inbound_nodes:
            if id(node) not in model._graph_nodes:
                continue
            for inbound in nest.flatten([x._keras_history[0] for x in node.keras_inputs]):
                _connect(pydot, dot, inbound, layer, expand_nested, first_node, last_node)
    return dot


def _connect(pydot, dot, inbound, layer, expand_nested, first_node, last_node):
    """The edge from ``inbound`` to ``layer``, through the first or last node of the
    clusters of expanded nested models."""
    src, dst = str(id(inbound)), str(id(layer))
    if not expand_nested:
        _add_edge(pydot, dot, src, dst)
    elif not _is_functional(inbound) and not _is_wrapped_model(inbound):
        if not _is_functional(layer) and not _is_wrapped_model(layer):
            _add_edge(pydot, dot, src, dst)
        elif _is_functional(layer):
            _add_edge(pydot, dot, src, first_node[layer.name].get_name())
        else:
            _add_edge(pydot, dot, src, dst)
            _add_edge(pydot, dot, dst, first_node[layer.layer.name].get_name())
    elif _is_functional(inbound):
        name = last_node[inbound.name].get_name()
        if _is_functional(layer):
            _add_edge(pydot, dot, name, first_node[layer.name].get_name())
        else:
            _add_edge(pydot, dot, name, dst)
    else:
        _add_edge(pydot, dot, last_node[inbound.layer.name].get_name(), dst)


def plot_model(
    model,
    to_file="model.png",
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=96,
    layer_range=None,
    show_layer_activations=False,
    show_trainable=False,
):
    """Draws a model's layer graph into an image file (through ``model_to_dot``).

    Without pydot or Graphviz it raises ImportError with Keras' install message
    (inside IPython it prints the message and returns, as Keras does).

    Args:
        model: a built Keras model.
        to_file: the image file; its extension picks the format (png by default).
        show_shapes, show_dtype, show_layer_names, rankdir, expand_nested, dpi,
        layer_range, show_layer_activations, show_trainable: as in ``model_to_dot``.

    Returns:
        An ``IPython.display.Image`` of the file when IPython is installed (and
        the file is not a PDF), else None.

    Raises:
        ImportError: pydot or Graphviz is missing (outside IPython).
        ValueError: the model is not built.

    >>> plot_model(model, to_file="model.png", show_shapes=True)  # doctest: +SKIP
    """
    if not model.built:
        raise ValueError(
            "This model has not yet been built. Build the model first by calling "
            "`build()` or by calling the model on a batch of data."
        )
    if not check_graphviz():
        if "IPython.core.magics.namespace" in sys.modules:
            print_msg(_PLOT_MESSAGE)
            return None
        raise ImportError(_PLOT_MESSAGE)
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        layer_range=layer_range,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
    )
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=extension)
    if extension != "pdf":
        try:
            from IPython import display
        except ImportError:
            return None
        return display.Image(filename=to_file)
    return None
