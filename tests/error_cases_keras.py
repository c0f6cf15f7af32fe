"""The Keras part of the error-discipline table (layers, models, training parts).

Rows as in ``error_cases.py``, which gathers them into ``CASES``.
"""

LAYERS = [
    ("tf.keras.layers.Dense(0)", "Dense"),
    ("tf.keras.layers.Dense(-1)", "Dense"),
    ("tf.keras.layers.Dense(2.5)", None),
    ("tf.keras.layers.Dense('3')", None),
    ("tf.keras.layers.Dense(None)", None),
    ("tf.keras.layers.Dense(3, activation='nope')", "nope"),
    ("tf.keras.layers.Dense(3, activation=5)", None),
    ("tf.keras.layers.Dense(3, kernel_initializer='nope')", "nope"),
    ("tf.keras.layers.Dense(3, kernel_regularizer='nope')", "nope"),
    ("tf.keras.layers.Dense(3, kernel_constraint='nope')", "nope"),
    ("tf.keras.layers.Dense(3, bias_initializer=5)", None),
    ("tf.keras.layers.Dense(3, use_bias='x')(tf.ones([1, 2])).shape.as_list()", None),
    ("tf.keras.layers.Dense(3, nope=1)", None),
    ("tf.keras.layers.Dense(3, input_shape=5)", None),
    ("tf.keras.layers.Dense(3, dtype='nope')", None),
    ("tf.keras.layers.Dense(10)('abc')", "Dense"),
    ("tf.keras.layers.Dense(10)(None)", None),
    ("tf.keras.layers.Dense(10)(5.0)", None),
    ("tf.keras.layers.Dense(10)([1.0, 2.0])", None),
    ("tf.keras.layers.Dense(10)(tf.constant(['a', 'b']))", None),
    ("tf.keras.layers.Dense(10)(tf.ones([2, 3], tf.int32)).dtype.name", None),
    ("tf.keras.layers.Dense(10)(tf.ones([2, 3], tf.bool)).shape.as_list()", None),
    ("tf.keras.layers.Dense(10)(tf.ones([2, 0]))", None),
    ("tf.keras.layers.Dense(10)(tf.ones([3])).shape.as_list()", None),
    ("tf.keras.layers.Dense(10)(tf.constant(3.0))", None),
    ("d = tf.keras.layers.Dense(2)\nd(tf.ones([1, 3]))\nresult = d(tf.ones([1, 4]))", "dense"),
    ("d = tf.keras.layers.Dense(2)\nd.build((None, 3))\nresult = d(tf.ones([1, 4]))", "dense"),
    ("d = tf.keras.layers.Dense(2)\nresult = d.build('abc')", None),
    ("d = tf.keras.layers.Dense(2)\nresult = d.set_weights([np.ones(3)])", None),
    (
        "d = tf.keras.layers.Dense(2)\nd.build((None, 3))\n"
        "result = d.set_weights([np.ones((4, 2)), np.ones(2)])",
        None,
    ),
    (
        "d = tf.keras.layers.Dense(2)\nd.build((None, 3))\nresult = d.set_weights([np.ones((3, 2))])",
        None,
    ),
    ("d = tf.keras.layers.Dense(2)\nd.build((None, 3))\nresult = d.set_weights('abc')", None),
    ("tf.keras.layers.Dense.from_config({'nope': 1})", None),
    ("tf.keras.layers.Dense.from_config(5)", None),
    ("tf.keras.layers.Dropout(1.5)", None),
    ("tf.keras.layers.Dropout(-0.5)", None),
    ("tf.keras.layers.Dropout('a')", None),
    ("tf.keras.layers.Dropout(0.5, noise_shape=[5])(tf.ones([2, 3]), training=True)", None),
    ("tf.keras.layers.Dropout(0.5)('abc')", None),
    ("tf.keras.layers.Activation('nope')", "nope"),
    ("tf.keras.layers.Activation(5)", None),
    ("tf.keras.layers.Activation('relu')('abc')", None),
    ("tf.keras.layers.Flatten()(tf.constant(1.0))", None),
    ("tf.keras.layers.Flatten(data_format='nope')", None),
    ("tf.keras.layers.Reshape((4,))(tf.ones([2, 3]))", None),
    ("tf.keras.layers.Reshape((-1, -1))(tf.ones([2, 4]))", None),
    ("tf.keras.layers.Reshape(5)", None),
    ("tf.keras.layers.Reshape((2.5,))", None),
    ("tf.keras.layers.Permute((1, 1))", None),
    ("tf.keras.layers.Permute((0, 1))", None),
    ("tf.keras.layers.Permute((1, 3))(tf.ones([2, 3, 4]))", None),
    ("tf.keras.layers.RepeatVector(-1)", None),
    ("tf.keras.layers.RepeatVector(2.5)", None),
    ("tf.keras.layers.RepeatVector(2)(tf.ones([2, 3, 4]))", None),
    ("tf.keras.layers.Embedding(0, 3)", None),
    ("tf.keras.layers.Embedding(10, -3)", None),
    ("tf.keras.layers.Embedding(10.5, 3)", None),
    ("tf.keras.layers.Embedding(10, 3)(tf.constant([[11]]))", None),
    ("tf.keras.layers.Embedding(10, 3)(tf.constant([[-1]]))", None),
    ("tf.keras.layers.Embedding(10, 3)(tf.constant([['a']]))", None),
    ("tf.keras.layers.Embedding(10, 3)(tf.constant([[1.7]])).shape.as_list()", None),
    ("tf.keras.layers.BatchNormalization(axis=5)(tf.ones([2, 3]))", None),
    ("tf.keras.layers.BatchNormalization(axis='a')", None),
    ("tf.keras.layers.BatchNormalization(momentum='a')", None),
    ("tf.keras.layers.BatchNormalization()(tf.constant(['a']))", None),
    ("tf.keras.layers.BatchNormalization()(tf.ones([2, 3], tf.int32))", None),
    ("tf.keras.layers.LayerNormalization(axis=5)(tf.ones([2, 3]))", None),
    ("tf.keras.layers.LayerNormalization(epsilon='a')", None),
    ("tf.keras.layers.UnitNormalization(axis=5)(tf.ones([2, 3]))", None),
    ("tf.keras.layers.Add()(tf.ones([2, 3]))", None),
    ("tf.keras.layers.Add()([tf.ones([2, 3])])", None),
    ("tf.keras.layers.Add()([tf.ones([2, 3]), tf.ones([2, 4])])", None),
    ("tf.keras.layers.Add()([tf.ones([2, 3]), 'a'])", None),
    ("tf.keras.layers.Subtract()([tf.ones([2, 3])] * 3)", None),
    ("tf.keras.layers.Multiply()([tf.ones([2, 3]), tf.ones([3, 3])])", None),
    ("tf.keras.layers.Concatenate()([tf.ones([2, 3]), tf.ones([3, 3])])", None),
    ("tf.keras.layers.Concatenate(axis=5)([tf.ones([2, 3]), tf.ones([2, 3])])", None),
    ("tf.keras.layers.Concatenate()(tf.ones([2, 3]))", None),
    ("tf.keras.layers.Dot(axes=1)([tf.ones([2, 3]), tf.ones([2, 4])])", None),
    ("tf.keras.layers.Dot(axes='a')", None),
    ("tf.keras.layers.Dot(axes=5)([tf.ones([2, 3]), tf.ones([2, 3])])", None),
    ("tf.keras.layers.Lambda(5)", None),
    ("tf.keras.layers.Lambda(lambda x: x[5])(tf.ones([2]))", None),
    ("tf.keras.layers.Masking(mask_value='a')(tf.ones([2, 3]))", None),
    ("tf.keras.layers.GaussianNoise('a')", None),
    ("tf.keras.layers.GaussianNoise(-1.0)", None),
    ("tf.keras.layers.ActivityRegularization(l1='a')", None),
    ("tf.keras.Input(shape=5)", None),
    ("tf.keras.Input(shape=(2.5,))", None),
    ("tf.keras.Input(shape=(-1,))", None),
    ("tf.keras.Input(shape=('a',))", None),
    ("tf.keras.Input(shape=(3,), dtype='nope')", None),
    ("tf.keras.Input(shape=(3,), batch_size=-1)", None),
    ("tf.keras.Input(shape=(3,), batch_size=2.5)", None),
    ("tf.keras.Input()", None),
    ("tf.keras.Input((3,), nope=1)", None),
    ("tf.keras.layers.Dense(2)(tf.keras.Input((3,), dtype=tf.string))", None),
    ("tf.keras.layers.Dense(2)(tf.keras.Input((3,)), training='x').shape.as_list()", None),
    ("tf.keras.layers.Layer(nope=1)", None),
    ("tf.keras.layers.Layer(trainable='x').trainable", None),
    ("tf.keras.layers.Layer(name=5)", None),
    ("tf.keras.layers.Layer().add_weight(shape=(2.5,))", None),
    ("tf.keras.layers.Layer().add_weight(shape=(-1,))", None),
    ("tf.keras.layers.Layer().add_weight(shape=(2,), initializer='nope')", "nope"),
    ("tf.keras.layers.Layer().add_weight(shape=(2,), dtype='nope')", None),
    ("tf.keras.layers.Layer().add_weight(shape=(2,), dtype=tf.string, initializer='zeros')", None),
    ("tf.keras.layers.deserialize({'class_name': 'Nope', 'config': {}})", "Nope"),
    ("tf.keras.layers.deserialize(5)", None),
    ("tf.keras.activations.get('nope')", "nope"),
    ("tf.keras.activations.get(5)", None),
    ("tf.keras.activations.relu('abc')", None),
    ("tf.keras.activations.softmax(tf.constant(1.0))", None),
    ("tf.keras.activations.softmax(tf.ones([2, 3]), axis=5)", None),
    ("tf.keras.initializers.get('nope')", "nope"),
    ("tf.keras.initializers.RandomNormal(stddev='a')((2,))", None),
    ("tf.keras.initializers.Zeros()((2.5,))", None),
    ("tf.keras.initializers.Zeros()((-1,))", None),
    ("tf.keras.initializers.GlorotUniform()((2,), dtype=tf.int32)", None),
    ("tf.keras.initializers.Constant('a')((2,))", None),
    ("tf.keras.initializers.Identity()((2, 3, 4))", None),
    ("tf.keras.initializers.Orthogonal()((2,))", None),
    ("tf.keras.regularizers.get('nope')", "nope"),
    ("tf.keras.regularizers.L2('a')", None),
    ("tf.keras.regularizers.L2(-1.0)", None),
    ("tf.keras.regularizers.L1L2(l1=None)(tf.ones([2])).numpy()", None),
    ("tf.keras.constraints.get('nope')", "nope"),
    ("tf.keras.constraints.MaxNorm(max_value='a')(tf.ones([2, 2]))", None),
]

MODELS = [
    ("tf.keras.Sequential(5)", None),
    ("tf.keras.Sequential([5])", None),
    ("tf.keras.Sequential(['dense'])", None),
    ("m = tf.keras.Sequential()\nresult = m.add(5)", None),
    ("m = tf.keras.Sequential()\nresult = m.add(tf.keras.layers.Dense)", None),
    ("m = tf.keras.Sequential()\nresult = m.pop()", None),
    ("m = tf.keras.Sequential()\nresult = m.summary()", None),
    ("m = tf.keras.Sequential([tf.keras.layers.Dense(2)])\nresult = m.weights", None),
    ("m = tf.keras.Sequential([tf.keras.layers.Dense(2)])\nresult = m.count_params()", None),
    (
        "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
        "result = m(tf.ones([1, 4]))",
        None,
    ),
    (
        "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
        "result = m.get_layer('nope')",
        "nope",
    ),
    (
        "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
        "result = m.get_layer(index=5)",
        None,
    ),
    (
        "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
        "result = m.get_layer()",
        None,
    ),
    (
        "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
        "result = m.set_weights([np.ones((3, 2))])",
        None,
    ),
    (
        "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
        "result = m.set_weights([np.ones((3, 3)), np.ones(2)])",
        None,
    ),
    ("tf.keras.Model(inputs=5, outputs=5)", None),
    ("a = tf.keras.Input((3,))\nresult = tf.keras.Model(a, 'abc')", None),
    (
        "a = tf.keras.Input((3,))\nb = tf.keras.Input((3,))\n"
        "result = tf.keras.Model(a, tf.keras.layers.Dense(2)(b))",
        None,
    ),
    ("a = tf.keras.Input((3,))\nresult = tf.keras.Model(a, tf.ones([2]))", None),
    (
        "a = tf.keras.Input((3,))\nm = tf.keras.Model(a, tf.keras.layers.Dense(2)(a))\n"
        "result = m([tf.ones([1, 3]), tf.ones([1, 3])])",
        None,
    ),
    (
        "a = tf.keras.Input((3,))\nm = tf.keras.Model(a, tf.keras.layers.Dense(2)(a))\n"
        "result = m(tf.ones([1, 4]))",
        None,
    ),
    ("m = small_model()\nresult = m.compile(optimizer='nope', loss='mse')", "nope"),
    (
        "m = small_model()\nm.compile(optimizer='sgd', loss='nope')\nresult = m.fit(X, Y, verbose=0)",
        "nope",
    ),
    (
        "m = small_model()\nresult = m.compile(optimizer='sgd', loss='mse', metrics=['nope'])\n"
        "m.fit(X, Y, verbose=0)",
        "nope",
    ),
    ("m = small_model()\nresult = m.compile(optimizer='sgd', loss='mse', metrics='mae')", None),
    ("m = small_model()\nresult = m.compile(optimizer=5, loss='mse')", None),
    (
        "m = small_model()\nm.compile(optimizer='sgd', loss=5)\nresult = m.fit(X, Y, verbose=0)",
        None,
    ),
    ("m = small_model()\nresult = m.compile(optimizer='sgd', loss='mse', nope=1)", None),
    (
        "m = small_model()\nm.compile(optimizer='sgd', loss='mse', loss_weights='a')\n"
        "result = m.fit(X, Y, verbose=0)",
        None,
    ),
    (
        "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
        "result = m.fit(X, Y, verbose=0)",
        None,
    ),
    (
        "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
        "result = m.evaluate(X, Y, verbose=0)",
        None,
    ),
    (
        "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
        "result = m.predict(X, verbose=0).shape",
        None,
    ),
    ("small_model().fit(X, 1.0, verbose=0)", None),
    ("small_model().fit(5.0, Y, verbose=0)", None),
    ("small_model().fit(None, Y, verbose=0)", None),
    ("small_model().fit('abc', Y, verbose=0)", None),
    ("small_model().fit(np.array([['a', 'b', 'c']]), Y[:1], verbose=0)", None),
    ("small_model().fit(X, Y[:3], verbose=0)", None),
    ("small_model().fit(X, np.ones((4, 3)), verbose=0)", None),
    ("small_model().fit(np.ones((4, 5)), Y, verbose=0)", None),
    ("small_model().fit(np.ones((4,)), Y, verbose=0)", None),
    ("small_model().fit(np.ones((4, 3, 1)), Y, verbose=0)", None),
    ("small_model().fit(X, Y, batch_size=2.5, verbose=0)", None),
    ("small_model().fit(X, Y, batch_size=0, verbose=0)", None),
    ("small_model().fit(X, Y, batch_size=-1, verbose=0)", None),
    ("small_model().fit(X, Y, batch_size='2', verbose=0)", None),
    ("small_model().fit(X, Y, epochs=1.5, verbose=0)", None),
    ("small_model().fit(X, Y, epochs='2', verbose=0)", None),
    ("len(small_model().fit(X, Y, epochs=-1, verbose=0).history)", None),
    ("len(small_model().fit(X, Y, epochs=0, verbose=0).history)", None),
    ("small_model().fit(X, Y, verbose='x')", None),
    ("small_model().fit(X, Y, verbose=0, nope=1)", None),
    ("small_model().fit(X, Y, validation_split=1.5, verbose=0)", None),
    ("small_model().fit(X, Y, validation_split=-0.5, verbose=0)", None),
    ("small_model().fit(X, Y, validation_split='a', verbose=0)", None),
    ("small_model().fit(X, Y, validation_data=5, verbose=0)", None),
    ("small_model().fit(X, Y, validation_data=(X,), verbose=0)", None),
    ("small_model().fit(X, Y, validation_data=(X, Y, Y, Y), verbose=0)", None),
    ("small_model().fit(X, Y, validation_data=(np.ones((4, 5)), Y), verbose=0)", None),
    ("small_model().fit(X, Y, steps_per_epoch=-1, verbose=0)", None),
    ("small_model().fit(X, Y, initial_epoch=5, epochs=2, verbose=0).history", None),
    ("small_model().fit(X, Y, callbacks=5, verbose=0)", None),
    ("small_model().fit(X, Y, callbacks=[5], verbose=0)", None),
    ("small_model().fit(X, Y, class_weight='a', verbose=0)", None),
    ("small_model().fit(X, Y, sample_weight=np.ones(3), verbose=0)", None),
    ("small_model().fit(X, Y, sample_weight='a', verbose=0)", None),
    ("small_model().fit(X, Y, shuffle='x', verbose=0).history.keys()", None),
    ("small_model().fit(tf.data.Dataset.from_tensor_slices((X, Y)).batch(2), Y, verbose=0)", None),
    (
        "small_model().fit(tf.data.Dataset.from_tensor_slices((X, Y)).batch(2), "
        "batch_size=2, verbose=0)",
        None,
    ),
    ("small_model().fit(tf.data.Dataset.from_tensor_slices(X).batch(2), verbose=0)", None),
    ("small_model().fit({'nope': X}, Y, verbose=0)", None),
    ("two_input_model().fit({'a': X, 'nope': X}, Y[:, :1], verbose=0)", None),
    ("two_input_model().fit({'a': X}, Y[:, :1], verbose=0)", None),
    ("two_input_model().fit([X], Y[:, :1], verbose=0)", None),
    ("two_input_model().fit([X, X, X], Y[:, :1], verbose=0)", None),
    ("two_input_model().fit(X, Y[:, :1], verbose=0)", None),
    ("small_model().fit(X, {'nope': Y}, verbose=0)", None),
    ("small_model().fit(X, [Y, Y], verbose=0)", None),
    (
        "small_model('sparse_categorical_crossentropy', units=10).fit("
        "X, np.array([1, 2, 12, 3]), verbose=0)",
        None,
    ),
    (
        "small_model('sparse_categorical_crossentropy', units=10).fit("
        "X, np.array([1, 2, -1, 3]), verbose=0)",
        None,
    ),
    (
        "small_model('sparse_categorical_crossentropy', units=10).fit("
        "X, np.array([1.5, 2, 1, 3]), verbose=0).history.keys()",
        None,
    ),
    (
        "small_model('sparse_categorical_crossentropy', units=10).evaluate("
        "X, np.array([1, 2, 12, 3]), verbose=0)",
        None,
    ),
    (
        "small_model('categorical_crossentropy', units=10).fit(X, np.array([1, 2, 3, 4]), "
        "verbose=0)",
        None,
    ),
    (
        "small_model('binary_crossentropy', units=1).fit(X, np.array(['a', 'b', 'c', 'd']), "
        "verbose=0)",
        None,
    ),
    ("small_model().fit(X, np.array(['a', 'b', 'c', 'd']), verbose=0)", None),
    ("small_model().predict(5.0, verbose=0)", None),
    ("small_model().predict(None, verbose=0)", None),
    ("small_model().predict('abc', verbose=0)", None),
    ("small_model().predict(np.array([['1', '2', '3']]), verbose=0)", None),
    ("small_model().predict(np.ones((2, 5)), verbose=0)", None),
    ("small_model().predict(np.ones((2,)), verbose=0)", None),
    ("small_model().predict(X, batch_size=2.5, verbose=0)", None),
    ("small_model().predict(X, batch_size=0, verbose=0)", None),
    ("small_model().predict(X, steps=-1, verbose=0)", None),
    ("small_model().predict(X, verbose=0, nope=1)", None),
    ("small_model().predict([X, X], verbose=0)", None),
    ("small_model().predict({'nope': X}, verbose=0)", None),
    ("small_model().predict(np.ones((0, 3)), verbose=0)", None),
    ("small_model().evaluate(X, 1.0, verbose=0)", None),
    ("small_model().evaluate(5.0, Y, verbose=0)", None),
    ("small_model().evaluate(X, Y[:2], verbose=0)", None),
    ("small_model().evaluate(X, Y, batch_size=2.5, verbose=0)", None),
    ("small_model().evaluate(X, Y, verbose=0, nope=1)", None),
    ("small_model().evaluate(np.ones((4, 5)), Y, verbose=0)", None),
    ("small_model().train_on_batch(X, Y[:2])", None),
    ("small_model().train_on_batch(5.0, Y)", None),
    ("small_model().test_on_batch(X, 'a')", None),
    ("small_model().predict_on_batch('abc')", None),
    ("small_model().predict_on_batch(np.ones((2, 5)))", None),
    ("small_model().save_weights(5)", None),
    ("tf.keras.models.clone_model(5)", None),
    ("tf.keras.utils.to_categorical([0, 5], num_classes=3)", None),
    ("tf.keras.utils.to_categorical([0, -1], num_classes=3)", None),
    ("tf.keras.utils.to_categorical(['a'])", None),
    ("tf.keras.utils.to_categorical([0.5, 1.5])", None),
    ("tf.keras.utils.to_categorical([0, 1], num_classes=-1)", None),
    ("tf.keras.utils.normalize(np.ones((2, 3)), axis=5)", None),
]

TRAINING_PARTS = [
    ("tf.keras.optimizers.SGD(learning_rate='a')", None),
    ("tf.keras.optimizers.SGD(learning_rate=-1.0)", None),
    ("tf.keras.optimizers.SGD(momentum=-1.0)", None),
    ("tf.keras.optimizers.SGD(momentum=2.0)", None),
    ("tf.keras.optimizers.SGD(nope=1)", None),
    ("tf.keras.optimizers.Adam(beta_1='a')", None),
    ("tf.keras.optimizers.Adam(epsilon=None)", None),
    ("tf.keras.optimizers.Adam(clipnorm=1.0, clipvalue=1.0)", None),
    ("tf.keras.optimizers.Adam(clipnorm=1.0, global_clipnorm=1.0)", None),
    ("tf.keras.optimizers.get('nope')", "nope"),
    ("tf.keras.optimizers.get(5)", None),
    (
        "opt = tf.keras.optimizers.SGD()\nv = tf.Variable(1.0)\n"
        "result = opt.apply_gradients([(tf.constant([1.0, 2.0]), v)])",
        None,
    ),
    (
        "opt = tf.keras.optimizers.SGD()\nv = tf.Variable(1.0)\n"
        "result = opt.apply_gradients([(tf.constant(1), v)])",
        None,
    ),
    (
        "opt = tf.keras.optimizers.SGD()\nv = tf.Variable(1.0)\n"
        "result = opt.apply_gradients([(None, v)])",
        None,
    ),
    (
        "opt = tf.keras.optimizers.SGD()\nv = tf.Variable(1.0)\n"
        "result = opt.apply_gradients([(1.0, 'v')])",
        None,
    ),
    ("opt = tf.keras.optimizers.SGD()\nresult = opt.apply_gradients(5)", None),
    (
        "opt = tf.keras.optimizers.SGD()\nv = tf.Variable(1.0)\n"
        "result = opt.apply_gradients([tf.constant(1.0)])",
        None,
    ),
    (
        "opt = tf.keras.optimizers.SGD()\nv = tf.Variable(1.0)\n"
        "result = opt.minimize(lambda: v * v, var_list=[])",
        None,
    ),
    (
        "opt = tf.keras.optimizers.SGD()\nv = tf.Variable(1.0)\n"
        "result = opt.minimize(5, var_list=[v])",
        None,
    ),
    (
        "opt = tf.keras.optimizers.SGD()\nv = tf.Variable(1.0)\n"
        "result = opt.minimize(lambda: v * v, var_list=['v'])",
        None,
    ),
    (
        "opt = tf.keras.optimizers.SGD()\nv = tf.Variable(1)\n"
        "result = opt.apply_gradients([(tf.constant(1), v)])",
        None,
    ),
    ("tf.keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=0, decay_rate=0.5)(1)", None),
    ("tf.keras.optimizers.schedules.PiecewiseConstantDecay([1, 2], [0.1])", None),
    ("tf.keras.losses.get('nope')", "nope"),
    ("tf.keras.losses.get(5)", None),
    ("tf.keras.losses.MeanSquaredError()(tf.ones([2, 3]), tf.ones([2, 4]))", None),
    ("tf.keras.losses.MeanSquaredError()('a', 'b')", None),
    ("tf.keras.losses.MeanSquaredError(reduction='nope')", "nope"),
    (
        "tf.keras.losses.MeanSquaredError()(tf.ones([2, 3]), tf.ones([2, 3]), "
        "sample_weight=tf.ones([5]))",
        None,
    ),
    ("tf.keras.losses.SparseCategoricalCrossentropy()([1, 12], tf.ones([2, 10]))", None),
    ("tf.keras.losses.SparseCategoricalCrossentropy()([[1, 2], [3, 4]], tf.ones([2, 10]))", None),
    ("tf.keras.losses.SparseCategoricalCrossentropy()(['a', 'b'], tf.ones([2, 10]))", None),
    ("tf.keras.losses.CategoricalCrossentropy()(tf.ones([2, 3]), tf.ones([2, 4]))", None),
    ("tf.keras.losses.CategoricalCrossentropy(label_smoothing='a')", None),
    ("tf.keras.losses.BinaryCrossentropy()(tf.ones([2, 3]), tf.ones([3, 2]))", None),
    ("tf.keras.losses.BinaryCrossentropy()(['a'], [0.5])", None),
    ("tf.keras.losses.Huber(delta='a')(tf.ones([2]), tf.ones([2]))", None),
    ("tf.keras.losses.mean_squared_error(tf.ones([2, 3]), tf.ones([3, 2]))", None),
    ("tf.keras.losses.sparse_categorical_crossentropy([5], tf.ones([1, 3]))", None),
    ("tf.keras.losses.deserialize('nope')", "nope"),
    ("tf.keras.metrics.get('nope')", "nope"),
    ("tf.keras.metrics.get(5)", None),
    ("m = tf.keras.metrics.Mean()\nm.update_state('a')\nresult = m.result()", None),
    (
        "m = tf.keras.metrics.Mean()\nm.update_state([1.0, 2.0], sample_weight=[1.0, 2.0, 3.0])"
        "\nresult = m.result()",
        None,
    ),
    (
        "m = tf.keras.metrics.Accuracy()\nm.update_state([1, 2], [1, 2, 3])\nresult = m.result()",
        None,
    ),
    (
        "m = tf.keras.metrics.SparseCategoricalAccuracy()\n"
        "m.update_state([1, 2], tf.ones([3, 4]))\nresult = m.result()",
        None,
    ),
    (
        "m = tf.keras.metrics.CategoricalAccuracy()\n"
        "m.update_state(tf.ones([2, 3]), tf.ones([2, 4]))\nresult = m.result()",
        None,
    ),
    (
        "m = tf.keras.metrics.MeanSquaredError()\n"
        "m.update_state(tf.ones([2, 3]), tf.ones([2, 4]))\nresult = m.result()",
        None,
    ),
    ("m = tf.keras.metrics.AUC(num_thresholds=1)", None),
    ("m = tf.keras.metrics.AUC(curve='nope')", None),
    ("m = tf.keras.metrics.Precision(thresholds=1.5)", None),
    (
        "m = tf.keras.metrics.Precision()\nm.update_state([1, 0], [0.5, 0.2, 0.1])\n"
        "result = m.result()",
        None,
    ),
    ("m = tf.keras.metrics.Mean()\nresult = m.result().numpy()", None),
    (
        "m = tf.keras.metrics.BinaryAccuracy(threshold='a')\n"
        "m.update_state([1.0], [0.5])\nresult = m.result()",
        None,
    ),
    (
        "m = tf.keras.metrics.TopKCategoricalAccuracy(k=-1)\n"
        "m.update_state(tf.ones([2, 3]), tf.ones([2, 3]))\nresult = m.result()",
        None,
    ),
    ("tf.keras.callbacks.EarlyStopping(monitor='val_loss', mode='nope')", None),
    ("tf.keras.callbacks.EarlyStopping(patience='a')", None),
    ("tf.keras.callbacks.LearningRateScheduler(5)", None),
    (
        "small_model().fit(X, Y, verbose=0, callbacks=[tf.keras.callbacks.LearningRateScheduler("
        "lambda e: 'a')])",
        None,
    ),
    (
        "small_model().fit(X, Y, verbose=0, callbacks=[tf.keras.callbacks.EarlyStopping("
        "monitor='nope')]).history.keys()",
        None,
    ),
    ("tf.keras.callbacks.ModelCheckpoint(5)", None),
    ("tf.keras.backend.set_floatx('nope')", None),
    ("tf.keras.backend.set_epsilon('a')", None),
]
