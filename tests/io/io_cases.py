# ruff: noqa: E501 - one case per line: long expressions read best unbroken
"""The tf.io cases shared by ``record_io_fixtures.py`` (run under TensorFlow) and the
tests (run under tensorflux): each case is an expression over ``tf``, ``np`` and ``EX``
(serialized Example/SequenceExample bytes recorded from TensorFlow, by name)."""

# fmt: off
ENCODE_CASES = [
    ("b64_basic", "tf.io.encode_base64([b'hello?>', b'', b'\\xff\\xfe'])"),
    ("b64_pad", "tf.io.encode_base64([[b'a', b'ab'], [b'abc', b'abcd']], pad=True)"),
    ("b64_scalar", "tf.io.encode_base64(b'\\x00\\x01\\xfb\\xff')"),
    ("b64d_basic", "tf.io.decode_base64([b'aGVsbG8_Pg', b'aGVsbG8_Pg==', b'', b'YQ'])"),
    ("b64d_len1", "tf.io.decode_base64(b'abcde')"),
    ("b64d_badchar", "tf.io.decode_base64(b'aGVsbG8/Pg')"),
    ("b64d_int", "tf.io.decode_base64(tf.constant(3))"),
    ("zlib", "tf.io.decode_compressed(tf.constant(ZLIB), 'ZLIB')"),
    ("gzip", "tf.io.decode_compressed([GZIP, GZIP], compression_type='GZIP')"),
    ("none", "tf.io.decode_compressed(b'plain', '')"),
    ("zlib_bad", "tf.io.decode_compressed(b'abc', 'ZLIB')"),
    ("gzip_bad", "tf.io.decode_compressed(b'abcdefghijklmnop', 'GZIP')"),
    ("comp_type_bad", "tf.io.decode_compressed(b'abc', 'BAD')"),
    ("raw_i16_be", "tf.io.decode_raw(b'\\x01\\x02\\x03\\x04', tf.int16, little_endian=False)"),
    ("raw_i16_le", "tf.io.decode_raw([b'\\x01\\x02\\x03\\x04', b'\\x05\\x06\\x07\\x08'], tf.int16)"),
    ("raw_f32", "tf.io.decode_raw(b'\\x00\\x00\\xc0?\\x00\\x00\\x80\\xbf', tf.float32)"),
    ("raw_f64_be", "tf.io.decode_raw(b'?\\xf8\\x00\\x00\\x00\\x00\\x00\\x00', tf.float64, little_endian=False)"),
    ("raw_u8", "tf.io.decode_raw([[b'ab'], [b'cd']], tf.uint8)"),
    ("raw_i8", "tf.io.decode_raw(b'\\xff\\x01', tf.int8)"),
    ("raw_u16", "tf.io.decode_raw(b'\\xff\\xfe', tf.uint16)"),
    ("raw_i32", "tf.io.decode_raw(b'\\xff\\xff\\xff\\xff\\x01\\x00\\x00\\x00', tf.int32)"),
    ("raw_i64", "tf.io.decode_raw(b'\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x80', tf.int64)"),
    ("raw_f16", "tf.io.decode_raw(b'\\x00<\\x00\\xc0', tf.float16)"),
    ("raw_c64", "tf.io.decode_raw(b'\\x00\\x00\\x80?\\x00\\x00\\x00@', tf.complex64)"),
    ("raw_bool", "tf.io.decode_raw(b'\\x01\\x00\\x02', tf.bool)"),
    ("raw_empty", "tf.io.decode_raw(b'', tf.float32)"),
    ("raw_empty_batch", "tf.io.decode_raw(tf.constant([], tf.string), tf.float32)"),
    ("raw_sizes", "tf.io.decode_raw([b'\\x01\\x02\\x03', b'\\x01'], tf.int16)"),
    ("raw_odd", "tf.io.decode_raw(b'\\x01\\x02\\x03', tf.int16)"),
    ("raw_fixed", "tf.io.decode_raw([b'\\x01\\x02\\x03', b'\\x01'], tf.int16, fixed_length=4)"),
    ("raw_fixed_be", "tf.io.decode_raw([b'\\x01\\x02\\x03\\x04\\x05\\x06'], tf.int16, little_endian=False, fixed_length=2)"),
    ("raw_fixed_bad", "tf.io.decode_raw([b'\\x01\\x02\\x03'], tf.int16, fixed_length=3)"),
    ("raw_string", "tf.io.decode_raw(b'\\x01\\x02', tf.string)"),
]

TENSOR_CASES = [
    ("st_f32_0d", "tf.io.serialize_tensor(tf.constant(1.5))"),
    ("st_f32", "tf.io.serialize_tensor(tf.constant([[1.0, -2.0, 3.5]]))"),
    ("st_f64", "tf.io.serialize_tensor(tf.constant([1.0, 2.0], tf.float64))"),
    ("st_f16", "tf.io.serialize_tensor(tf.constant([1.0, 2.0], tf.float16))"),
    ("st_i8", "tf.io.serialize_tensor(tf.constant([1, -2], tf.int8))"),
    ("st_u8", "tf.io.serialize_tensor(tf.constant([[1, 255]], tf.uint8))"),
    ("st_i16", "tf.io.serialize_tensor(tf.constant([1, -2], tf.int16))"),
    ("st_u16", "tf.io.serialize_tensor(tf.constant([1, 65535], tf.uint16))"),
    ("st_i32", "tf.io.serialize_tensor(tf.constant([7, -1, 3]))"),
    ("st_u32", "tf.io.serialize_tensor(tf.constant([7, 1], tf.uint32))"),
    ("st_i64", "tf.io.serialize_tensor(tf.constant(-5, tf.int64))"),
    ("st_u64", "tf.io.serialize_tensor(tf.constant([7, 1], tf.uint64))"),
    ("st_bool", "tf.io.serialize_tensor(tf.constant([True, False]))"),
    ("st_c64", "tf.io.serialize_tensor(tf.constant([1 + 2j], tf.complex64))"),
    ("st_c128", "tf.io.serialize_tensor(tf.constant([1 - 2j], tf.complex128))"),
    ("st_str", "tf.io.serialize_tensor(tf.constant([[b'ab', b'c'], [b'', b'defg']]))"),
    ("st_str_0d", "tf.io.serialize_tensor(tf.constant('hello'))"),
    ("st_empty", "tf.io.serialize_tensor(tf.zeros([0, 2]))"),
    ("st_empty_str", "tf.io.serialize_tensor(tf.constant([], tf.string))"),
    ("pt_f32", "tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant([[1.0, -2.0]])), tf.float32)"),
    ("pt_str", "tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant([b'x', b'yz'])), tf.string)"),
    ("pt_i64_0d", "tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant(9, tf.int64)), tf.int64)"),
    ("pt_bool", "tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant([[True], [False]])), tf.bool)"),
    ("pt_c128", "tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant([1 - 2j], tf.complex128)), tf.complex128)"),
    ("pt_typed_int", "tf.io.parse_tensor(TYPED_INT, tf.int32)"),
    ("pt_typed_float", "tf.io.parse_tensor(TYPED_FLOAT, tf.float32)"),
    ("pt_mismatch", "tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant(1.5)), tf.int32)"),
    ("pt_garbage", "tf.io.parse_tensor(b'\\xff\\xff', tf.int32)"),
    ("pt_not_scalar", "tf.io.parse_tensor([b'', b''], tf.int32)"),
]

SPARSE_CASES = [
    ("ss", "tf.io.serialize_sparse(tf.SparseTensor([[0, 1], [2, 0]], [1.5, 2.5], [3, 4]))"),
    ("ss_var", "tf.io.serialize_sparse(tf.SparseTensor([[0]], [b'a'], [2]), out_type=tf.variant).dtype"),
    ("ss_str", "tf.io.serialize_sparse(tf.SparseTensor([[1]], [b'abc'], [2]))"),
    ("ss_empty", "tf.io.serialize_sparse(tf.SparseTensor(tf.zeros([0, 2], tf.int64), tf.zeros([0], tf.int32), [2, 3]))"),
    ("sms", "tf.io.serialize_many_sparse(tf.SparseTensor([[0, 1], [2, 0], [2, 2]], [1, 2, 3], [3, 4]))"),
    ("sms_3d", "tf.io.serialize_many_sparse(tf.SparseTensor([[0, 1, 1], [1, 0, 0]], [1.0, 2.0], [2, 2, 2]))"),
    ("sms_rank1", "tf.io.serialize_many_sparse(tf.SparseTensor([[0]], [1], [2]))"),
    ("dms", "tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(tf.SparseTensor([[0, 1], [2, 0], [2, 2]], [1, 2, 3], [3, 4])), tf.int32)"),
    ("dms_stack", "tf.io.deserialize_many_sparse(tf.stack([tf.io.serialize_sparse(tf.SparseTensor([[0, 1]], [1.0], [2, 3])), tf.io.serialize_sparse(tf.SparseTensor([[1, 4], [0, 0]], [2.0, 3.0], [2, 5]))]), tf.float32)"),
    ("dms_dtype", "tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(tf.SparseTensor([[0, 1]], [1], [3, 4])), tf.float32)"),
    ("dms_rank", "tf.io.deserialize_many_sparse(tf.stack([tf.io.serialize_sparse(tf.SparseTensor([[0, 1]], [1.0], [2, 3])), tf.io.serialize_sparse(tf.SparseTensor([[1]], [2.0], [2]))]), tf.float32)"),
    ("dms_shape", "tf.io.deserialize_many_sparse(tf.constant([b'a', b'b']), tf.float32)"),
]

CSV_CASES = [
    ("csv_basic", "tf.io.decode_csv(['1,2.5,a', '3,,\"b,c\"'], [[0], [1.0], ['z']])"),
    ("csv_types", "tf.io.decode_csv('1;2;3;4;x', [tf.constant([], tf.int32), tf.constant([], tf.int64), tf.constant([], tf.float32), tf.constant([], tf.float64), tf.constant([], tf.string)], field_delim=';')"),
    ("csv_defaults", "tf.io.decode_csv([',,', '7,8,'], [[-1], [0.5], ['d']])"),
    ("csv_missing_required", "tf.io.decode_csv([',2'], [tf.constant([], tf.int32), [1]])"),
    ("csv_count", "tf.io.decode_csv(['1,2,3'], [[0], [0]])"),
    ("csv_noquote", "tf.io.decode_csv(['\"a\",b'], [['x'], ['y']], use_quote_delim=False)"),
    ("csv_quoted_quote", "tf.io.decode_csv(['\"a\"\"b\",c'], [['x'], ['y']])"),
    ("csv_bad_quote", "tf.io.decode_csv(['\"a\"b,c'], [['x'], ['y']])"),
    ("csv_na", "tf.io.decode_csv(['NA,3', '4,NA'], [[9], [8.0]], na_value='NA')"),
    ("csv_select", "tf.io.decode_csv(['1,2,3,4'], [[0], [0.0]], select_cols=[1, 3])"),
    ("csv_select_bad", "tf.io.decode_csv(['1,2'], [[0], [0]], select_cols=[1, 0])"),
    ("csv_bad_int", "tf.io.decode_csv(['x1'], [[0]])"),
    ("csv_bad_float", "tf.io.decode_csv(['1.5q'], [[0.0]])"),
    ("csv_int_overflow", "tf.io.decode_csv(['99999999999'], [[0]])"),
    ("csv_2d", "tf.io.decode_csv([['1,a'], ['2,b']], [[0], ['']])"),
    ("csv_delim_bad", "tf.io.decode_csv(['1'], [[0]], field_delim='ab')"),
    ("csv_float_forms", "tf.io.decode_csv(['1e3,inf,-1.5E-2,nan'], [[0.0], [0.0], [0.0], [0.0]])"),
    ("csv_int_space", "tf.io.decode_csv([' 12'], [[0]])"),
]

JSON_CASES = [
    ("json_ex", "tf.io.decode_json_example(['{\"features\": {\"feature\": {\"a\": {\"floatList\": {\"value\": [1.5, 2]}}, \"b\": {\"int64List\": {\"value\": [\"3\", 4]}}, \"c\": {\"bytesList\": {\"value\": [\"aGk=\"]}}}}}', '{}'])"),
    ("json_bad", "tf.io.decode_json_example('{\"features\": 1}')"),
    ("json_notjson", "tf.io.decode_json_example('nope')"),
]

SPEC_CASES = [
    ("fl_repr", "repr(tf.io.FixedLenFeature([2], tf.float32))"),
    ("fl_default", "repr(tf.io.FixedLenFeature((), tf.int64, default_value=3))"),
    ("fls_repr", "repr(tf.io.FixedLenSequenceFeature([], tf.string, allow_missing=True))"),
    ("vl_repr", "repr(tf.io.VarLenFeature(tf.int64))"),
    ("sf_repr", "repr(tf.io.SparseFeature('i', 'v', tf.float32, 5))"),
    ("sf_list", "repr(tf.io.SparseFeature(['i', 'j'], 'v', tf.float32, [5, 6]))"),
    ("rf_repr", "repr(tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowLengths('l'), tf.io.RaggedFeature.UniformRowLength(2)]))"),
    ("rf_default", "repr(tf.io.RaggedFeature(tf.string))"),
    ("rf_parts", "repr([tf.io.RaggedFeature.RowSplits('a'), tf.io.RaggedFeature.RowStarts('b'), tf.io.RaggedFeature.RowLimits('c'), tf.io.RaggedFeature.ValueRowIds('d'), tf.io.RaggedFeature.UniformRowLength(3)])"),
    ("rf_bad_dtype", "tf.io.RaggedFeature(tf.int32)"),
    ("rf_bad_splits", "tf.io.RaggedFeature(tf.int64, row_splits_dtype=tf.float32)"),
    ("rf_bad_part", "tf.io.RaggedFeature(tf.int64, partitions=['x'])"),
    ("rf_bad_key", "tf.io.RaggedFeature(tf.int64, value_key=3)"),
    ("rf_uniform_outer", "tf.io.parse_single_example(EX['ex1'], {'r': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.UniformRowLength(2), tf.io.RaggedFeature.RowLengths('len')])})"),
]

PARSE_CASES = [
    ("p_single", "tf.io.parse_single_example(EX['ex1'], {'a': tf.io.FixedLenFeature([2], tf.float32), 'b': tf.io.FixedLenFeature([], tf.int64, default_value=7), 's': tf.io.FixedLenFeature([2], tf.string), 'v': tf.io.VarLenFeature(tf.int64), 'sp': tf.io.SparseFeature('idx', 'val', tf.float32, 5), 'r': tf.io.RaggedFeature(tf.int64, value_key='m')})"),
    ("p_batch", "tf.io.parse_example([EX['ex1'], EX['ex2']], {'a': tf.io.FixedLenFeature([2], tf.float32), 'b': tf.io.FixedLenFeature([1], tf.int64, default_value=[7]), 's': tf.io.FixedLenFeature([2], tf.string), 'v': tf.io.VarLenFeature(tf.int64), 'sp': tf.io.SparseFeature('idx', 'val', tf.float32, 5), 'r': tf.io.RaggedFeature(tf.int64, value_key='m'), 'w': tf.io.VarLenFeature(tf.string)})"),
    ("p_matrix", "tf.io.parse_example([EX['ex1']], {'m': tf.io.FixedLenFeature([2, 2], tf.int64)})"),
    ("p_default_missing", "tf.io.parse_example([EX['ex3'], EX['ex1']], {'a': tf.io.FixedLenFeature([2], tf.float32, default_value=[9.0, 8.0]), 'b': tf.io.FixedLenFeature([], tf.int64, default_value=-4), 't': tf.io.FixedLenFeature([], tf.string, default_value='q')})"),
    ("p_default_bcast", "tf.io.parse_example([EX['ex3']], {'a': tf.io.FixedLenFeature([2], tf.float32, default_value=4.0)})"),
    ("p_seq_missing", "tf.io.parse_example([EX['ex1'], EX['ex2'], EX['ex3']], {'v': tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True), 'a': tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True, default_value=-1.0)})"),
    ("p_seq_no_allow", "tf.io.parse_example([EX['ex1']], {'v': tf.io.FixedLenSequenceFeature([], tf.int64)})"),
    ("p_seq_bad_size", "tf.io.parse_example([EX['ex1']], {'v': tf.io.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)})"),
    ("p_required", "tf.io.parse_example([EX['ex1'], EX['ex2']], {'b': tf.io.FixedLenFeature([], tf.int64)})"),
    ("p_type", "tf.io.parse_example([EX['ex1']], {'a': tf.io.FixedLenFeature([2], tf.int64)})"),
    ("p_type_var", "tf.io.parse_example([EX['ex1']], {'a': tf.io.VarLenFeature(tf.string)})"),
    ("p_size", "tf.io.parse_example([EX['ex1']], {'a': tf.io.FixedLenFeature([3], tf.float32)})"),
    ("p_size_single", "tf.io.parse_single_example(EX['ex1'], {'a': tf.io.FixedLenFeature([], tf.float32)})"),
    ("p_bad_bytes", "tf.io.parse_example([b'\\n\\x05\\n'], {'a': tf.io.FixedLenFeature([2], tf.float32)})"),
    ("p_empty_features", "tf.io.parse_example([EX['ex1']], {})"),
    ("p_no_shape", "tf.io.parse_example([EX['ex1']], {'a': tf.io.FixedLenFeature(None, tf.float32)})"),
    ("p_bad_dtype", "tf.io.parse_example([EX['ex1']], {'a': tf.io.FixedLenFeature([2], tf.int32)})"),
    ("p_bad_feature", "tf.io.parse_example([EX['ex1']], {'a': 3})"),
    ("p_single_not_scalar", "tf.io.parse_single_example([EX['ex1']], {'a': tf.io.FixedLenFeature([2], tf.float32)})"),
    ("p_sparse_multi", "tf.io.parse_example([EX['ex1'], EX['ex2']], {'sp': tf.io.SparseFeature(['idx', 'idx2'], 'val', tf.float32, [5, 4])})"),
    ("p_sparse_oob", "tf.io.parse_example([EX['ex1']], {'sp': tf.io.SparseFeature('idx', 'val', tf.float32, 2)})"),
    ("p_sparse_len", "tf.io.parse_example([EX['ex1']], {'sp': tf.io.SparseFeature('v', 'val', tf.float32, 9)})"),
    ("p_sparse_unsorted", "tf.io.parse_example([EX['ex4']], {'sp': tf.io.SparseFeature('idx', 'val', tf.float32, 9, already_sorted=False)})"),
    ("p_ragged_lengths", "tf.io.parse_example([EX['ex1'], EX['ex2']], {'r': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowLengths('len')])})"),
    ("p_ragged_uniform", "tf.io.parse_single_example(EX['ex4'], {'r': tf.io.RaggedFeature(tf.float32, 'val', [tf.io.RaggedFeature.UniformRowLength(2)], row_splits_dtype=tf.int64)})"),
    ("p_ragged_splits", "tf.io.parse_single_example(EX['ex1'], {'r': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowSplits('splits')])})"),
    ("p_ragged_kinds", "tf.io.parse_single_example(EX['ex1'], {'a': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.ValueRowIds('rowids')]), 'b': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowStarts('starts')]), 'c': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowLimits('limits')])})"),
    ("p_ragged_str", "tf.io.parse_example([EX['ex1'], EX['ex3']], {'s': tf.io.RaggedFeature(tf.string)})"),
    ("p_ragged_bad_len", "tf.io.parse_single_example(EX['ex1'], {'r': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowLengths('idx')])})"),
    ("p_ragged_uniform_bad", "tf.io.parse_single_example(EX['ex1'], {'r': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.UniformRowLength(3)])})"),
    ("p_ragged_batch_kinds", "tf.io.parse_example([EX['ex1'], EX['ex5'], EX['ex3']], {'a': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.ValueRowIds('rowids')]), 'b': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowStarts('starts')]), 'c': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowLimits('limits')]), 'd': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowSplits('splits')]), 'e': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowLengths('len')])})"),
    ("p_ragged_conflict", "tf.io.parse_example([EX['ex1']], {'a': tf.io.RaggedFeature(tf.int64, 'v'), 'e': tf.io.RaggedFeature(tf.int64, 'v', row_splits_dtype=tf.int64)})"),
    ("p_ragged_batch_uniform", "tf.io.parse_example([EX['ex4'], EX['ex4']], {'r': tf.io.RaggedFeature(tf.float32, 'val', [tf.io.RaggedFeature.UniformRowLength(2)])})"),
    ("p_ragged_nested", "tf.io.parse_example([EX['ex1'], EX['ex5']], {'r': tf.io.RaggedFeature(tf.int64, 'v', [tf.io.RaggedFeature.RowLengths('outer'), tf.io.RaggedFeature.RowLengths('len')])})"),
    ("p_names", "tf.io.parse_example([EX['ex1'], EX['ex2']], {'b': tf.io.FixedLenFeature([], tf.int64)}, example_names=['first', 'second'])"),
    ("p_2d", "tf.io.parse_example([[EX['ex1']], [EX['ex2']]], {'a': tf.io.FixedLenFeature([2], tf.float32)})"),
    ("p_empty_batch", "tf.io.parse_example(tf.constant([], tf.string), {'a': tf.io.FixedLenFeature([2], tf.float32), 'v': tf.io.VarLenFeature(tf.int64), 'r': tf.io.RaggedFeature(tf.int64, 'm')})"),
    ("p_hand", "tf.io.parse_single_example(EX['hand'], {'x': tf.io.FixedLenFeature([3], tf.int64), 'y': tf.io.VarLenFeature(tf.float32)})"),
]

SEQ_CASES = [
    ("sq_single", "tf.io.parse_single_sequence_example(EX['seq1'], context_features={'c': tf.io.FixedLenFeature([], tf.int64), 'cv': tf.io.VarLenFeature(tf.string)}, sequence_features={'f': tf.io.FixedLenSequenceFeature([2], tf.float32), 'g': tf.io.VarLenFeature(tf.int64), 'r': tf.io.RaggedFeature(tf.int64)})"),
    ("sq_batch", "tf.io.parse_sequence_example([EX['seq1'], EX['seq2']], context_features={'c': tf.io.FixedLenFeature([], tf.int64, default_value=-1)}, sequence_features={'f': tf.io.FixedLenSequenceFeature([2], tf.float32), 'g': tf.io.VarLenFeature(tf.int64), 'r': tf.io.RaggedFeature(tf.int64)})"),
    ("sq_missing_list", "tf.io.parse_single_sequence_example(EX['seq2'], sequence_features={'h': tf.io.FixedLenSequenceFeature([2], tf.float32)})"),
    ("sq_missing_allowed", "tf.io.parse_single_sequence_example(EX['seq2'], sequence_features={'h': tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True)})"),
    ("sq_fixed_in_seq", "tf.io.parse_single_sequence_example(EX['seq1'], sequence_features={'f': tf.io.FixedLenFeature([2], tf.float32)})"),
    ("sq_bad_step", "tf.io.parse_single_sequence_example(EX['seq1'], sequence_features={'f': tf.io.FixedLenSequenceFeature([3], tf.float32)})"),
    ("sq_ctx_required", "tf.io.parse_single_sequence_example(EX['seq2'], context_features={'c': tf.io.FixedLenFeature([], tf.int64)})"),
    ("sq_ragged_ctx", "tf.io.parse_sequence_example([EX['seq1'], EX['seq2']], context_features={'cv': tf.io.RaggedFeature(tf.string)}, sequence_features={'r': tf.io.RaggedFeature(tf.int64, partitions=[tf.io.RaggedFeature.RowLengths('rl')])})"),
    ("sq_ragged_single_part", "tf.io.parse_single_sequence_example(EX['seq1'], context_features={'c': tf.io.RaggedFeature(tf.int64)}, sequence_features={'r': tf.io.RaggedFeature(tf.int64, partitions=[tf.io.RaggedFeature.RowLengths('rl')])})"),
    ("sq_none", "tf.io.parse_single_sequence_example(EX['seq1'])"),
    ("sq_type", "tf.io.parse_single_sequence_example(EX['seq1'], sequence_features={'g': tf.io.FixedLenSequenceFeature([], tf.float32)})"),
]
# fmt: on

ALL_CASES = (
    ENCODE_CASES
    + TENSOR_CASES
    + SPARSE_CASES
    + CSV_CASES
    + JSON_CASES
    + SPEC_CASES
    + PARSE_CASES
    + SEQ_CASES
)

# matching_files: a folder holding FILES, each pattern joined to it ("" is the folder).
FILES = ["b.txt", "a.txt", ".h.txt", "c.csv", "sub/x.txt", "sub/y.csv"]
FILE_PATTERNS = [
    "*.txt", ["*.csv", "*.txt"], "nope/*.txt", "*/x.txt", "[ab].txt", "?.t*", "", "*",
    "nope*.txt", "**.txt", "{a,b}.txt", "[!a].txt", "[^a].txt", "a\\.txt", "sub/*",
    "*/*.csv", "a.txt",
]  # fmt: skip
