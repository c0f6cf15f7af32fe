"""``tf.keras.utils.FeatureSpace``: one-step preprocessing of structured (tabular)
data, as tf_keras' FeatureSpace: each named feature gets a preprocessing layer (and a
one-hot encoding where asked), features may be crossed, and the results are
concatenated into one vector or returned as a dict."""

from __future__ import annotations

from tensorflux.keras import layers
from tensorflux.keras.layers.layer import Layer

__all__ = ["Cross", "Feature", "FeatureSpace"]


class Cross:
    """A crossing of features hashed into ``crossing_dim`` bins (``FeatureSpace.cross``)."""

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in {"int", "one_hot"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{{'int', 'one_hot'}}. Received: output_mode={output_mode}"
            )
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict:
        return {
            "feature_names": self.feature_names,
            "crossing_dim": self.crossing_dim,
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Feature:
    """A feature's dtype, preprocessing layer and encoding (``FeatureSpace.feature``)."""

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in {"int", "one_hot", "float"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{{'int', 'one_hot', 'float'}}. Received: output_mode={output_mode}"
            )
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            from tensorflux.keras.utils.object_serialization import deserialize_keras_object

            preprocessor = deserialize_keras_object(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self) -> dict:
        from tensorflux.keras.utils.object_serialization import serialize_keras_object

        return {
            "dtype": self.dtype,
            "preprocessor": serialize_keras_object(self.preprocessor),
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _unique(prefix, name):
    from tensorflux.keras.backend import unique_object_name

    return name or unique_object_name(prefix)


class FeatureSpace(Layer):
    """Preprocesses a dict of features with one layer each.

    Args:
        features: ``{name: feature}``, a feature being a name ("float",
            "float_normalized", "float_rescaled", "float_discretized",
            "integer_categorical", "string_categorical", "integer_hashed",
            "string_hashed") or a :class:`Feature` from the class methods.
        output_mode: "concat" (one float vector) or "dict" (one output per feature).
        crosses: feature-name tuples (or :class:`Cross` objects) to cross.
        crossing_dim: the crosses' hashing space; ``hashing_dim`` the hashed features';
            ``num_discretization_bins`` the discretized ones' bins.

    Raises:
        ValueError: no features, an unknown feature type or output mode, a cross of
            unknown features.
    """

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        name = _unique("float", name)
        preprocessor = layers.Identity(dtype="float32", name=f"{name}_preprocessor")
        return Feature("float32", preprocessor, "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        name = _unique("float_rescaled", name)
        preprocessor = layers.Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor")
        return Feature("float32", preprocessor, "float")

    @classmethod
    def float_normalized(cls, name=None):
        name = _unique("float_normalized", name)
        preprocessor = layers.Normalization(axis=-1, name=f"{name}_preprocessor")
        return Feature("float32", preprocessor, "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        name = _unique("float_discretized", name)
        preprocessor = layers.Discretization(
            num_bins=num_bins, bin_boundaries=bin_boundaries, name=f"{name}_preprocessor"
        )
        return Feature("float32", preprocessor, output_mode)

    @classmethod
    def integer_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        name = _unique("integer_categorical", name)
        preprocessor = layers.IntegerLookup(
            name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
        )
        return Feature("int64", preprocessor, output_mode)

    @classmethod
    def string_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        name = _unique("string_categorical", name)
        preprocessor = layers.StringLookup(
            name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
        )
        return Feature("string", preprocessor, output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = _unique("string_hashed", name)
        return Feature(
            "string", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode
        )

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = _unique("integer_hashed", name)
        return Feature(
            "int64", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode
        )

    def __init__(
        self,
        features,
        output_mode="concat",
        crosses=None,
        crossing_dim=32,
        hashing_dim=32,
        num_discretization_bins=32,
    ):
        if not features:
            raise ValueError("The `features` argument cannot be None or empty.")
        super().__init__()
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {name: self._standardize_feature(name, f) for name, f in features.items()}
        self.crosses = [self._standardize_cross(c, set(features)) for c in crosses or ()]
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        if output_mode not in {"dict", "concat"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{{'dict', 'concat'}}. Received: output_mode={output_mode}"
            )
        self.output_mode = output_mode
        self.inputs = {
            name: layers.Input(shape=(1,), dtype=f.dtype, name=name)
            for name, f in self.features.items()
        }
        self.preprocessors = {name: f.preprocessor for name, f in self.features.items()}
        self.encoded_features = None
        self.crossers = {
            c.name: layers.HashedCrossing(c.crossing_dim, name=c.name) for c in self.crosses
        }
        self.one_hot_encoders: dict = {}
        self._is_adapted = False
        self.concat = None
        self._preprocessed_names = None
        self._crossed_names = None
        self.built = False

    def _standardize_feature(self, name, feature) -> Feature:
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            from tensorflux.keras.utils.object_serialization import deserialize_keras_object

            return deserialize_keras_object(feature, custom_objects={"Feature": Feature})
        makers = {
            "float": lambda: self.float(name=name),
            "float_normalized": lambda: self.float_normalized(name=name),
            "float_rescaled": lambda: self.float_rescaled(name=name),
            "float_discretized": lambda: self.float_discretized(
                name=name, num_bins=self.num_discretization_bins
            ),
            "integer_categorical": lambda: self.integer_categorical(name=name),
            "string_categorical": lambda: self.string_categorical(name=name),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=name),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=name),
        }
        if not isinstance(feature, str) or feature not in makers:
            raise ValueError(f"Invalid feature type: {feature}")
        return makers[feature]()

    def _standardize_cross(self, cross, known: set) -> Cross:
        if isinstance(cross, dict):
            from tensorflux.keras.utils.object_serialization import deserialize_keras_object

            cross = deserialize_keras_object(cross, custom_objects={"Cross": Cross})
        if isinstance(cross, Cross):
            return cross
        if not self.crossing_dim:
            raise ValueError(
                "When specifying `crosses`, the argument `crossing_dim` (dimensionality of "
                "the crossing space) should be specified as well."
            )
        if any(key not in known for key in cross):
            raise ValueError(
                "All features referenced in the `crosses` argument should be present in "
                f"the `features` dict. Received unknown features: {cross}"
            )
        return Cross(cross, crossing_dim=self.crossing_dim)

    def _adaptable(self) -> list:
        names = []
        for name, preprocessor in self.preprocessors.items():
            if isinstance(preprocessor, layers.Normalization) and (
                getattr(preprocessor, "input_mean", None) is not None
            ):
                continue
            if hasattr(preprocessor, "adapt"):
                names.append(name)
        return names

    def adapt(self, dataset):
        """Adapts each feature's preprocessor (vocabularies, means, bins) to the
        feature's values in ``dataset`` (a ``tf.data.Dataset`` of dicts).

        Raises:
            ValueError: ``dataset`` is not a Dataset.
        """
        from tensorflux.data.dataset import Dataset
        from tensorflux.ops.array_ops import expand_dims

        if not isinstance(dataset, Dataset):
            raise ValueError(
                "`adapt()` can only be called on a tf.data.Dataset. "
                f"Received instead: {dataset} (of type {type(dataset)})"
            )
        for name in self._adaptable():
            values = dataset.map(lambda x, name=name: x[name])
            rank = values.element_spec.shape.rank
            if rank == 0:
                values = values.batch(32)
            if rank in (0, 1):
                values = values.map(lambda x: expand_dims(x, -1))
            self.preprocessors[name].adapt(values)
        self._is_adapted = True
        self.get_encoded_features()
        self.built = True

    def get_inputs(self) -> dict:
        """The Keras ``Input`` of each feature (to build a model on the encoded ones)."""
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self):
        """The encoded features as Keras tensors computed from :meth:`get_inputs`."""
        self._check_if_adapted()
        if self.encoded_features is None:
            preprocessed = self._preprocess(self.inputs)
            self.encoded_features = self._merge(preprocessed, self._cross(preprocessed))
        return self.encoded_features

    def _preprocess(self, features) -> dict:
        return {name: self.preprocessors[name](features[name]) for name in features}

    def _cross(self, features) -> dict:
        return {
            cross.name: self.crossers[cross.name]([features[n] for n in cross.feature_names])
            for cross in self.crosses
        }

    def _cardinality(self, name):
        preprocessor = self.preprocessors.get(name) or self.crossers.get(name)
        if isinstance(preprocessor, (layers.IntegerLookup, layers.StringLookup)):
            return preprocessor.vocabulary_size()
        if isinstance(preprocessor, layers.CategoryEncoding):
            return preprocessor.num_tokens
        if isinstance(preprocessor, (layers.Discretization, layers.HashedCrossing, layers.Hashing)):
            return preprocessor.num_bins
        raise ValueError(
            f"Feature '{name}' has `output_mode='one_hot'`. However it isn't a standard "
            "feature and the dimensionality of its output space is not known, thus it "
            "cannot be one-hot encoded. Try using `output_mode='int'`."
        )

    def _merge(self, preprocessed: dict, crossed: dict):
        if self._preprocessed_names is None:
            self._preprocessed_names = sorted(preprocessed)
            self._crossed_names = sorted(crossed)
        names = self._preprocessed_names + self._crossed_names
        values = [preprocessed[n] for n in self._preprocessed_names]
        values += [crossed[n] for n in self._crossed_names]
        if not self.built:
            self._make_encoders(names, values)
        outputs = {}
        for name, value in zip(names, values):
            encoder = self.one_hot_encoders.get(name)
            outputs[name] = encoder(value) if encoder is not None else value
        if self.output_mode == "dict":
            return outputs
        for name, value in outputs.items():
            dtype = value.dtype.name
            if dtype.startswith("int") or dtype == "string":
                raise ValueError(
                    f"Cannot concatenate features because feature '{name}' has not been "
                    f"encoded (it has dtype {dtype}). Consider using `output_mode='dict'`."
                )
        if self.concat is None:
            self.concat = layers.Concatenate(axis=-1)
        return self.concat(list(outputs.values()))

    def _make_encoders(self, names, values) -> None:
        specs = [self.features[n] for n in self._preprocessed_names]
        specs += [self.crosses_by_name[n] for n in self._crossed_names]
        for name, value, spec in zip(names, values, specs):
            if spec.output_mode != "one_hot":
                continue
            if not value.dtype.name.startswith("int"):
                raise ValueError(
                    f"Feature '{name}' has `output_mode='one_hot'`. Thus its preprocessor "
                    f"should return an int64 dtype. Instead it returns a {value.dtype.name} "
                    "dtype."
                )
            self.one_hot_encoders[name] = layers.CategoryEncoding(
                num_tokens=self._cardinality(name), output_mode="multi_hot"
            )

    def _check_if_adapted(self) -> None:
        if not self._is_adapted:
            if self._adaptable():
                raise ValueError(
                    "You need to call `.adapt(dataset)` on the FeatureSpace before you can "
                    "start using it."
                )
            self._is_adapted = True

    def _check_if_built(self) -> None:
        if not self.built:
            self._check_if_adapted()
            self.get_encoded_features()
            self.built = True

    def __call__(self, data):
        """Encodes one dict of features: of single values, or batches of them.

        Raises:
            ValueError: ``data`` is not a dict; the space was not adapted.
        """
        from tensorflux.framework.tensor import convert_to_tensor
        from tensorflux.ops.array_ops import expand_dims, reshape, squeeze

        self._check_if_built()
        if not isinstance(data, dict):
            raise ValueError(
                "A FeatureSpace can only be called with a dict. "
                f"Received: data={data} (of type {type(data)}"
            )
        data = {key: convert_to_tensor(value) for key, value in data.items()}
        single = False
        for name, x in data.items():
            if x.shape.rank == 0:
                data[name] = reshape(x, [1, 1])
                single = True
            elif x.shape.rank == 1:
                data[name] = expand_dims(x, -1)
        preprocessed = self._preprocess(data)
        merged = self._merge(preprocessed, self._cross(preprocessed))
        if not single:
            return merged
        if self.output_mode == "concat":
            return squeeze(merged, axis=0)
        return {
            name: squeeze(x, axis=0) if x.shape.rank == 2 and x.shape[0] == 1 else x
            for name, x in merged.items()
        }

    def get_config(self) -> dict:
        from tensorflux.keras.utils.object_serialization import serialize_keras_object

        return {
            "features": serialize_keras_object(self.features),
            "output_mode": self.output_mode,
            "crosses": serialize_keras_object(self.crosses),
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
