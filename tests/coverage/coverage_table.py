"""What is not a model op, and why: ``(namespaces, name patterns, reason)``, the first match wins. Data.

Namespaces are separated by spaces (``*`` is every namespace); patterns are shell-style (``fnmatch``), also
separated by spaces. Everything a model file builds its model with stays out of this table: a name here is
machinery (training, I/O, devices, compilation, global settings …) that a model's shapes and parameters do
not depend on.
"""

_TORCH = "torch torch.nn.functional torch.Tensor"

NOT_MODEL_OPS = [
    ("torch.nn", "*Loss *Loss2d AdaptiveLogSoftmaxWithLoss", "loss function (training)"),
    ("torch.nn", "Module Container RNNBase RNNCellBase", "base class (models subclass it; tests/models)"),
    ("torch.nn", "ModuleList ModuleDict ParameterList ParameterDict",
     "container without forward (used inside models; tests/models)"),
    ("torch.nn", "SyncBatchNorm DataParallel", "distributed (multi-GPU)"),
    (_TORCH, "*_loss binary_cross_entropy* cross_entropy nll_loss kl_div ctc_loss linear_cross_entropy "
             "miopen_ctc_loss", "loss function (training)"),
    (_TORCH, "cudnn_* miopen_* mkldnn_* fbgemm_* to_mkldnn is_mkldnn native_* *_backward_* batch_norm_elemt "
             "batch_norm_gather_stats* batch_norm_stats batch_norm_update_stats conv_tbc thnn_* "
             "grid_sampler grid_sampler_2d grid_sampler_3d affine_grid_generator constant_pad_nd "
             "embedding_renorm_ norm_except_dim frobenius_norm nuclear_norm convolution",
     "backend kernel behind a public op (models call the public op)"),
    (_TORCH, "q_* quantize_* quantized_* dequantize fake_quantize_* fused_moving_avg_obs_fake_quant "
             "choose_qparams_optimized int_repr empty_quantized qscheme is_quantized",
     "quantization (a deployment transform of a trained model)"),
    (_TORCH, "sparse_* *_indices_copy dsmm hsmm hspmm smm spmm saddmm sspaddmm to_sparse* to_dense coalesce "
             "is_coalesced ccol_indices col_indices crow_indices row_indices indices values dense_dim "
             "sparse_dim sparse_mask sparse_resize_* resize_as_sparse_ is_sparse is_sparse_csr values_copy",
     "sparse tensors"),
    (_TORCH, "*_copy", "copy variant for graph compilers (functionalization); models call the view op"),
    ("torch", "set_* get_* is_*_enabled are_deterministic_algorithms_enabled use_deterministic_algorithms "
              "is_deterministic_algorithms_warn_only_enabled init_num_threads compiled_with_cxx11_abi "
              "clear_autocast_cache autocast_* is_warn_always_enabled",
     "global setting"),
    ("torch", "manual_seed seed initial_seed thread_safe_generator", "random-number generator state"),
    ("torch", "save load from_file from_numpy from_dlpack to_dlpack frombuffer", "I/O and data interchange"),
    ("torch torch.Tensor", "compile fork wait vmap cond while_loop import_ir_module* parse_ir parse_schema parse_type_comment "
              "merge_type_from_type_comment unify_type_list classproperty typename sym_* "
              "prepare_multiprocessing_environment profiler_* is_vulkan_available is_distributed "
              "get_device_module is_storage slice_inverse hash_tensor segment_reduce",
     "compiler, JIT, profiler or process machinery"),
    ("torch", "batch_norm instance_norm embedding embedding_bag lstm lstm_cell gru gru_cell rnn_relu rnn_relu_cell "
              "rnn_tanh rnn_tanh_cell", "kernel behind an nn module or F function (models call those)"),
    ("torch.Tensor", "__bool__ __nonzero__ __float__ __int__ __long__ __complex__ __index__ __contains__ is_nonzero",
     "Python value of the data (a model's shapes do not depend on it)"),
    (_TORCH, "is_nonzero allclose equal", "Python bool of the data (a model's shapes do not depend on it)"),
    (_TORCH, "as_strided as_strided_ as_strided_scatter empty_strided empty_permuted new_empty_strided new "
             "to_padded_tensor", "strides and memory layout machinery"),
    (_TORCH, "eig symeig lstsq solve matrix_rank", "removed from torch (raises; torch.linalg has it)"),
    ("torch.nn.functional", "assert_int_or_pair boolean_dispatch handle_torch_function has_torch_function*",
     "helper of torch's own implementation"),
    ("torch.nn.functional", "grouped_mm scaled_mm scaled_grouped_mm", "low-precision GPU kernels"),
    ("torch.Tensor", "backward register_hook register_post_accumulate_grad_hook retain_grad retains_grad grad "
                     "grad_fn grad_dtype output_nr reinforce volatile",
     "autograd (training)"),
    ("torch.Tensor", "cuda ipu xpu mtia", "moves to a device the test environment does not have"),
    ("torch.Tensor", "is_ipu is_xpu is_maia is_meta is_mps is_mtia is_xla "
                     "is_vulkan is_nested pin_memory is_pinned share_memory_ is_shared record_stream "
                     "data_ptr const_data_ptr storage storage_offset storage_type untyped_storage "
                     "is_set_to set_ dim_order "
                     "is_distributed module_load __array__ __array_wrap__ __dlpack__ __dlpack_device__ "
                     "__cuda_array_interface__ __torch_function__ __torch_dispatch__ __deepcopy__ "
                     "__reduce_ex__ __setstate__ as_subclass apply_ map_ map2_ new",
     "device, memory or storage machinery"),
    ("torch.Tensor", "index", "first-class dimensions (functorch.dim)"),
    ("torch.Tensor", "name", "named tensors (prototype)"),
    ("torch.Tensor", "numpy tolist item __repr__ __format__ __dir__ __hash__ __delitem__",
     "Python value or printing (a model's shapes do not depend on it)"),
    ("keras.layers", "Wrapper", "base class (wrappers subclass it)"),
    ("keras.layers", "MaxNumBoundingBoxes", "bounding-box preprocessing (data pipeline)"),
    ("keras.layers", "InputSpec", "input validation helper for custom layers"),
    ("keras.layers", "deserialize serialize", "serialization"),
    ("keras.layers", "TFSMLayer", "I/O: loads a TensorFlow SavedModel"),
    ("keras.layers", "JaxLayer FlaxLayer", "JAX backend only"),
    ("keras.activations", "deserialize serialize get", "look-up and serialization of activations by name"),
    ("keras.ops", "convert_to_numpy convert_to_tensor cast_to_numpy", "data interchange"),
    ("keras.ops", "custom_gradient stop_gradient jvp vectorize", "autograd and function transforms"),
    ("keras.ops", "allclose", "Python bool of the data"),
    ("keras.ops", "*_crossentropy ctc_loss ctc_decode", "loss function (training)"),
    ("keras.ops", "associative_scan cond fori_loop map scan switch vectorized_map while_loop",
     "control flow over Python functions"),
    ("KerasTensor", "__iter__", "Keras cannot iterate over a symbolic tensor"),
    ("KerasTensor", "__bool__ __float__ __int__", "Python value of the data (a model's shapes do not depend on it)"),
    ("KerasTensor", "__array__ __jax_array__ __tf_tensor__ __repr__ ragged ragged_rank row_splits_dtype sparse",
     "interchange, printing, or TensorFlow-only tensor kinds"),
    ("tf tf.math tf.nn tf.random tf.linalg", "Assert assert_equal assert_greater assert_less assert_rank print "
     "check_pinned", "assertion or printing (debugging)"),
    ("tf", "case cond switch_case while_loop foldl foldr map_fn scan vectorized_map",
     "control flow over Python functions"),
    ("tf", "control_dependencies device init_scope get_current_name_scope inside_function executing_eagerly "
           "function no_op group tuple variable_creator_scope get_logger register_tensor_conversion_function "
           "load_library load_op_library import_graph_def is_symbolic_tensor is_tensor timestamp "
           "type_spec_from_value make_ndarray make_tensor_proto get_static_value as_dtype",
     "graph, function, device or library machinery"),
    ("tf tf.linalg", "custom_gradient grad_pass_through gradients hessians recompute_grad no_gradient "
                     "nondifferentiable_batch_function clip_by_global_norm global_norm",
     "autograd and gradient clipping (training)"),
    ("tf", "numpy_function py_function", "runs arbitrary Python (NumPy) code"),
    ("tf", "conv2d_backprop_filter_v2 conv2d_backprop_input_v2", "gradient kernel behind a public op "
                                                                  "(models call tf.nn.conv2d / conv2d_transpose)"),
    ("tf.nn", "depthwise_conv2d_backprop_filter depthwise_conv2d_backprop_input",
     "gradient kernel behind a public op (models call tf.nn.depthwise_conv2d)"),
    ("tf", "as_string fingerprint edit_distance", "strings, hashing or sparse sequences (data pipeline)"),
    ("tf", "ragged_fill_empty_rows ragged_fill_empty_rows_grad", "ragged tensors"),
    ("tf tf.math tf.nn", "confusion_matrix in_top_k", "evaluation metric"),
    ("tf.nn", "*_loss *_cross_entropy_with_logits ctc_* collapse_repeated compute_average_loss "
              "scale_regularization_loss", "loss function or CTC decoding (training and evaluation)"),
    ("tf.nn tf.random", "*candidate_sampler compute_accidental_hits",
     "candidate sampling (sampled-softmax training)"),
    ("tf.nn", "embedding_lookup_sparse safe_embedding_lookup_sparse", "sparse tensors"),
    ("tf tf.random", "random_index_shuffle create_rng_state get_global_generator set_global_generator set_seed "
                     "fold_in", "random-number generator state"),
    ("tf.random", "split", "random-number generator state (splits a seed)"),
    ("tf", "parallel_stack", "graph mode only: TensorFlow 2 refuses it eagerly (models call tf.stack)"),
    ("tf.nn", "with_space_to_batch", "runs a Python function (the op to dilate) over a space-to-batch input"),
    ("tf.image", "decode_* encode_* is_jpeg extract_jpeg_shape", "image file decoding and encoding (I/O)"),
    ("tf.image", "sample_distorted_bounding_box stateless_sample_distorted_bounding_box",
     "random box sampling for crop augmentation (data pipeline)"),
    ("tf.image", "psnr ssim ssim_multiscale", "image-quality metric (evaluation and losses)"),
    ("tf.signal", "inverse_stft_window_fn", "returns a Python window function for inverse_stft, not a tensor"),
    ("tf.math", "sobol_sample", "quasi-random sequence generator (data, not a layer)"),
]
