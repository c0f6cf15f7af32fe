"""``tf.train.TrackableView`` and ``tf.train.CheckpointView``: the object graph of live
objects, and of a saved checkpoint, node by node."""

from __future__ import annotations

import collections

from tensorflux.framework import trackable
from tensorflux.framework.errors import NotFoundError
from tensorflux.train.checkpoint_reader import CheckpointReader
from tensorflux.train.object_graph import OBJECT_GRAPH_KEY, TrackableObjectGraph

__all__ = ["CheckpointView", "TrackableView"]


class TrackableView:
    """The trackable children of ``root`` and of everything reachable from it, as a
    checkpoint of ``root`` would save them.

    >>> import tensorflux as tf
    >>> module = tf.Module()
    >>> module.v = tf.Variable(1.0)
    >>> list(tf.train.TrackableView(module).children(module))
    ['v']
    """

    def __init__(self, root):
        self._root = root

    @property
    def root(self):
        """The object the view starts from."""
        return self._root

    @classmethod
    def children(cls, obj, save_type="checkpoint", **kwargs) -> dict:
        """``obj``'s direct trackable children, local name -> object."""
        return dict(trackable.trackable_children(obj))

    def descendants(self) -> list:
        """Every object reachable from the root, the root first, breadth-first."""
        seen = {id(self._root)}
        order, queue = [self._root], collections.deque([self._root])
        while queue:
            for child in self.children(queue.popleft()).values():
                if id(child) not in seen:
                    seen.add(id(child))
                    order.append(child)
                    queue.append(child)
        return order


class CheckpointView:
    """The object graph stored in a checkpoint: node ids, their children, and how they
    match live objects.

    Raises:
        ValueError: the checkpoint has no object graph (a TF1 name-based checkpoint).
        tf.errors.NotFoundError: no checkpoint at ``save_path``.
    """

    def __init__(self, save_path):
        reader = CheckpointReader(save_path)
        try:
            data = reader.get_tensor(OBJECT_GRAPH_KEY)
        except NotFoundError as missing:
            raise ValueError(
                f'The specified checkpoint "{save_path}" does not appear to be object-based '
                f'(saved with TF2) since it is missing the key "{OBJECT_GRAPH_KEY}". Likely it '
                "was created with the TF1 name-based saver and does not contain an object "
                "dependency graph."
            ) from missing
        self._graph = TrackableObjectGraph.decode(data)

    def children(self, node_id) -> dict:
        """The children of node ``node_id``: local name -> node id."""
        return {child.local_name: child.node_id for child in self._graph.nodes[node_id].children}

    def _descendants_with_paths(self) -> dict:
        paths = {0: "root"}
        queue = collections.deque([0])
        while queue:
            node_id = queue.popleft()
            for name, child_id in self.children(node_id).items():
                if child_id == 0 or child_id in paths:
                    continue
                queue.append(child_id)
                paths[child_id] = f"{paths[node_id]}.{name}"
        return paths

    def descendants(self) -> list:
        """Every node id reachable from the root (0 first), breadth-first."""
        return list(self._descendants_with_paths())

    def match(self, obj) -> dict:
        """The live objects under ``obj`` that sit where checkpoint nodes sit (same local
        names along the same path): node id -> object.

        Raises:
            ValueError: ``obj`` is not trackable.
        """
        if not trackable.is_trackable(obj):
            raise ValueError(f"Expected a Trackable, got {obj} of type {type(obj)}.")
        matched = {0: obj}
        queue, visited = collections.deque([(0, obj)]), set()
        while queue:
            node_id, live = queue.popleft()
            live_children = TrackableView.children(live)
            for name, child_id in self.children(node_id).items():
                if child_id in visited or child_id == 0 or name not in live_children:
                    continue
                if child_id not in matched:
                    matched[child_id] = live_children[name]
                    queue.append((child_id, live_children[name]))
            visited.add(node_id)
        return matched

    def diff(self, obj) -> tuple:
        """How the checkpoint and ``obj`` differ: ``(matched nodes, node ids only in the
        checkpoint, objects only under obj)``."""
        matched = self.match(obj)
        only_in_checkpoint = [n for n in self.descendants() if n not in matched]
        matched_ids = {id(o) for o in matched.values()}
        only_in_obj = [o for o in TrackableView(obj).descendants() if id(o) not in matched_ids]
        return matched, only_in_checkpoint, only_in_obj
