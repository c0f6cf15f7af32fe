"""The part of pydot's API that model_to_dot uses, recording what it is given (pure
Python: shared by the vis_utils tests and their tf_keras fixture recorder)."""


class Graph:
    def __init__(self, **attrs):
        self.attrs, self.nodes, self.edges, self.subgraphs = dict(attrs), [], [], []

    def set(self, key, value):
        self.attrs[key] = value

    def set_node_defaults(self, **attrs):
        self.attrs["node_defaults"] = attrs

    def add_node(self, node):
        self.nodes.append(node)

    def get_nodes(self):
        return self.nodes

    def get_node(self, name):
        return [n for n in self.nodes if n.name == name]

    def add_edge(self, edge):
        self.edges.append(edge)

    def get_edge(self, src, dst):
        return [e for e in self.edges if (e.src, e.dst) == (src, dst)]

    def add_subgraph(self, graph):
        self.subgraphs.append(graph)


class Node:
    def __init__(self, name, label=None):
        self.name, self.label = name, label

    def get_name(self):
        return self.name


class Edge:
    def __init__(self, src, dst):
        self.src, self.dst = src, dst


class InvocationException(Exception):
    pass


Dot = Cluster = Graph


def describe(dot, names):
    """A JSON-able summary: node labels, edges (by layer name; nodes of clusters by
    their labels) and the clusters, recursively."""
    nodes = {n.name: n.label for n in dot.nodes}
    for sub in dot.subgraphs:
        nodes.update({n.name: n.label for n in sub.nodes})

    def name(node_id):
        return names.get(node_id) or nodes.get(node_id)

    return {
        "attrs": {k: v for k, v in dot.attrs.items() if k != "graph_name"},
        "labels": [n.label for n in dot.nodes],
        "edges": sorted([name(e.src), name(e.dst)] for e in dot.edges),
        "subgraphs": [describe(sub, names) for sub in dot.subgraphs],
    }
