"""tf.Module: names and scopes, variables found in attributes, submodules, and the
checkpoint children it lists."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework import trackable


class Block(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(np.ones((2, 2), np.float32), name="w")
        self.b = tf.Variable(np.zeros(2, np.float32), name="b", trainable=False)


class Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.zeta = Block(name="last")
        self.alpha = [
            Block(name="first"),
            {"y": tf.Variable(1.0, name="y"), "x": tf.Variable(2.0, name="x")},
        ]
        self.scale = tf.Variable(3.0, name="scale")


def test_names_and_validation():
    assert Net().name == "net"
    assert Block(name="custom").name == "custom"
    assert tf.Module().name == "module"

    class HTTPServerModel(tf.Module):
        pass

    assert HTTPServerModel().name == "http_server_model"
    with pytest.raises(ValueError, match="is not a valid module name"):
        tf.Module(name="a b")
    with pytest.raises(ValueError, match="valid Python identifiers"):
        tf.Module(name="3d")


def test_variables_in_sorted_attribute_order_then_submodules():
    net = Net()
    # TF walks attributes by sorted name: alpha (list: Block, dict by key), scale, zeta;
    # variables of the module's own attributes first, then its submodules' (as TF 2.21).
    names = [v.name for v in net.variables]
    assert names == ["x:0", "y:0", "scale:0", "b:0", "w:0", "b:0", "w:0"]
    assert [v.name for v in net.trainable_variables] == ["x:0", "y:0", "scale:0", "w:0", "w:0"]
    assert [v.name for v in net.non_trainable_variables] == ["b:0", "b:0"]
    assert [m.name for m in net.submodules] == ["first", "last"]
    assert isinstance(net.variables, tuple)


def test_shared_variables_are_listed_once():
    net = Net()
    net.alias = net.scale
    assert sum(v is net.scale for v in net.variables) == 1


def test_name_scope_and_with_name_scope():
    block = Block(name="enc")
    assert block.name_scope.name == "enc/"
    with block.name_scope as scope:
        assert scope == "enc/"
        assert tf.Variable(1.0, name="v").name == "enc/v:0"
    with tf.name_scope("outer"):
        inner = tf.Module(name="inner")
        assert tf.Variable(1.0).name == "outer/Variable:0"
    assert inner.name_scope.name == "outer/inner/"
    with tf.name_scope("a"), tf.name_scope("b") as scope:
        assert scope == "a/b/"
    assert tf.Variable(1.0, name="free").name == "free:0"

    class Lazy(tf.Module):
        @tf.Module.with_name_scope
        def __call__(self, x):
            if not hasattr(self, "w"):
                self.w = tf.Variable(x, name="w")
            return self.w

    assert Lazy()(2.0).name == "lazy/w:0"
    assert Lazy.__call__.__name__ == "__call__"


def test_keras_layers_count_as_modules():
    holder = tf.Module()
    holder.layer = tf.keras.layers.Dense(2)
    holder.layer.build((None, 3))
    assert list(holder.variables) == [holder.layer.kernel, holder.layer.bias]
    assert holder.submodules == (holder.layer,)
    assert isinstance(holder.layer, tf.Module)
    assert issubclass(tf.keras.Model, tf.Module)
    assert not isinstance(tf.Variable(1.0), tf.Module)


def test_trackable_children_in_assignment_order():
    net = Net()
    children = trackable.trackable_children(net)
    assert list(children) == ["zeta", "alpha", "scale"]
    assert list(trackable.trackable_children(net.alpha)) == ["0", "1"]
    assert list(trackable.trackable_children(net.alpha[1])) == ["y", "x"]
    assert trackable.trackable_children(net.scale) == {}
    assert not trackable.is_trackable([1, "a"])
