"""``tf.image``'s ops on images ``(batch, height, width, channels)`` (or one image, without the batch):
resizing and cropping, flips and rotations, colour conversions and adjustments (the shape kept), patches,
gradients, and the box ops of detection models (``non_max_suppression``: as many boxes as the data keeps, unknown).
TensorFlow's dtypes: ``resize`` gives ``float32`` (``"nearest"`` keeps the input's dtype), ``crop_and_resize`` and
``resize_with_pad`` ``float32``, the selected indices ``int32``."""

from __future__ import annotations

from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.frameworks.keras.tf_base import dtype_name, dtype_of, shape_of, static_ints, tensor

SAME_SHAPE = """
    adjust_brightness adjust_contrast adjust_gamma adjust_hue adjust_saturation flip_left_right flip_up_down
    random_brightness random_contrast random_flip_left_right random_flip_up_down random_hue random_saturation
    stateless_random_brightness stateless_random_contrast stateless_random_flip_left_right
    stateless_random_flip_up_down stateless_random_hue stateless_random_saturation per_image_standardization
    hsv_to_rgb rgb_to_hsv rgb_to_yiq rgb_to_yuv yiq_to_rgb yuv_to_rgb draw_bounding_boxes
    adjust_jpeg_quality random_jpeg_quality stateless_random_jpeg_quality
""".split()


def _image(op: str, image) -> tuple:
    shape = shape_of(image, op)
    if len(shape) not in (3, 4):
        raise KerasValueError(f"tf.image.{op}: 'image' must have either 3 or 4 dimensions; received shape "
                              f"{shape_text(shape)}")
    return shape


def _with(shape: tuple, height, width, channels=None) -> tuple:
    """``shape`` (3-D or 4-D) with new height, width (and channels)."""
    channels = shape[-1] if channels is None else channels
    return (*shape[:-3], height, width, channels)


def same_shape(op: str):
    def rule(image, *args, **kwargs):
        return tensor(_image(op, image), dtype_of([image]))

    return rule


def convert_image_dtype(image, dtype, saturate=False, name=None):
    return tensor(shape_of(image, "convert_image_dtype"), dtype_name(dtype))


def rgb_to_grayscale(images, name=None):
    shape = shape_of(images, "rgb_to_grayscale")
    return tensor((*shape[:-1], 1), dtype_of([images]))


def grayscale_to_rgb(images, name=None):
    shape = shape_of(images, "grayscale_to_rgb")
    if shape[-1] not in (1, None):
        raise KerasValueError(f"tf.image.grayscale_to_rgb: the last axis must have size 1; received "
                              f"{shape_text(shape)}")
    return tensor((*shape[:-1], 3), dtype_of([images]))


def rot90(image, k=1, name=None):
    shape = _image("rot90", image)
    if not isinstance(k, int):
        raise unknown_layer("tf.image.rot90 with k computed from a tensor")
    height, width = shape[-3:-1]
    return tensor(_with(shape, width, height) if k % 2 else shape, dtype_of([image]))


def transpose(image, name=None):
    shape = _image("transpose", image)
    return tensor(_with(shape, shape[-2], shape[-3]), dtype_of([image]))


def central_crop(image, central_fraction):
    shape = _image("central_crop", image)
    if not 0.0 < central_fraction <= 1.0:
        raise KerasValueError("tf.image.central_crop: central_fraction must be within (0, 1]")

    def kept(size):
        return None if size is None else size - 2 * int((size - size * central_fraction) / 2)

    return tensor(_with(shape, kept(shape[-3]), kept(shape[-2])), dtype_of([image]))


def to_box(op: str):
    """The image cut or padded to ``target_height`` × ``target_width``."""

    def rule(image, *args, **kwargs):
        shape = _image(op, image)
        height, width = (args[-2:] if len(args) >= 2 else (kwargs["target_height"], kwargs["target_width"]))
        dtype = "float32" if op == "resize_with_pad" else dtype_of([image])
        return tensor(_with(shape, height, width), dtype)

    return rule


def resize(images, size, method="bilinear", preserve_aspect_ratio=False, antialias=False, name=None):
    shape = _image("resize", images)
    height, width = static_ints(size, "image.resize", "size")
    if preserve_aspect_ratio:
        raise unknown_layer("tf.image.resize with preserve_aspect_ratio=True")
    dtype = dtype_of([images]) if str(method).lower() in ("nearest", "resizemethod.nearest_neighbor") else "float32"
    return tensor(_with(shape, height, width), dtype)


def crop_and_resize(image, boxes, box_indices, crop_size, method="bilinear", extrapolation_value=0.0, name=None):
    shape = shape_of(image, "crop_and_resize")
    height, width = static_ints(crop_size, "image.crop_and_resize", "crop_size")
    return tensor((shape_of(boxes, "crop_and_resize")[0], height, width, shape[-1]), "float32")


def extract_glimpse(input, size, offsets, centered=True, normalized=True, noise="uniform", name=None):
    shape = shape_of(input, "extract_glimpse")
    height, width = static_ints(size, "image.extract_glimpse", "size")
    return tensor(_with(shape, height, width), dtype_of([input]))


def random_crop(value, size, seed=None, name=None):
    return tensor(static_ints(size, "image.random_crop", "size"), dtype_of([value]))


def stateless_random_crop(value, size, seed, name=None):
    return random_crop(value, size)


def extract_patches(images, sizes, strides, rates, padding, name=None):
    from nncalc.frameworks.keras.tf_nn import windowed

    shape = shape_of(images, "extract_patches")
    window = static_ints(sizes, "image.extract_patches", "sizes")[1:3]
    channels = None if shape[-1] is None else window[0] * window[1] * shape[-1]
    return windowed("extract_patches", images, window, strides, padding, rates, "NHWC", channels)


def total_variation(images, name=None):
    shape = _image("total_variation", images)
    return tensor(shape[:-3], dtype_of([images]))


def image_gradients(image):
    shape = shape_of(image, "image_gradients")
    if len(shape) != 4:
        raise KerasValueError(f"tf.image.image_gradients expects a 4-D tensor; received {shape_text(shape)}")
    return tensor(shape, dtype_of([image])), tensor(shape, dtype_of([image]))


def sobel_edges(image):
    return tensor((*shape_of(image, "sobel_edges"), 2), dtype_of([image]))


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"),
                        name=None):
    return tensor((None,), "int32")


def non_max_suppression_with_scores(boxes, scores, max_output_size, iou_threshold=0.5,
                                    score_threshold=float("-inf"), soft_nms_sigma=0.0, name=None):
    return tensor((None,), "int32"), tensor((None,), dtype_of([scores]))


def non_max_suppression_overlaps(overlaps, scores, max_output_size, overlap_threshold=0.5,
                                 score_threshold=float("-inf"), name=None):
    return tensor((None,), "int32")


def non_max_suppression_padded(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"),
                               pad_to_max_output_size=False, name=None, sorted_input=False,
                               canonicalized_coordinates=False, tile_size=512):
    batch = shape_of(boxes, "non_max_suppression_padded")[:-2]
    size = max_output_size if pad_to_max_output_size and isinstance(max_output_size, int) else None
    return tensor((*batch, size), "int32"), tensor(batch, "int32")


def combined_non_max_suppression(boxes, scores, max_output_size_per_class, max_total_size, iou_threshold=0.5,
                                 score_threshold=float("-inf"), pad_per_class=False, clip_boxes=True, name=None):
    batch, _, classes = shape_of(scores, "combined_non_max_suppression")
    total = max_total_size
    if pad_per_class and None not in (classes,):
        total = min(max_total_size, max_output_size_per_class * classes)
    return (tensor((batch, total, 4), "float32"), tensor((batch, total), "float32"),
            tensor((batch, total), "float32"), tensor((batch,), "int32"))


def generate_bounding_box_proposals(scores, bbox_deltas, image_info, anchors, nms_threshold=0.7, pre_nms_topn=6000,
                                    min_size=16, post_nms_topn=300, name=None):
    batch = shape_of(scores, "generate_bounding_box_proposals")[0]
    return tensor((batch, post_nms_topn, 4), "float32"), tensor((batch, post_nms_topn), "float32")


def rules() -> dict:
    """Every op of ``tf.image`` by its name."""
    table = {name: same_shape(name) for name in SAME_SHAPE}
    table.update({name: to_box(name) for name in ("crop_to_bounding_box", "pad_to_bounding_box",
                                                  "resize_with_crop_or_pad", "resize_with_pad")})
    table.update(
        convert_image_dtype=convert_image_dtype, rgb_to_grayscale=rgb_to_grayscale, grayscale_to_rgb=grayscale_to_rgb,
        rot90=rot90, transpose=transpose, central_crop=central_crop, resize=resize, crop_and_resize=crop_and_resize,
        extract_glimpse=extract_glimpse, random_crop=random_crop, stateless_random_crop=stateless_random_crop,
        extract_patches=extract_patches, total_variation=total_variation, image_gradients=image_gradients,
        sobel_edges=sobel_edges, non_max_suppression=non_max_suppression,
        non_max_suppression_with_scores=non_max_suppression_with_scores,
        non_max_suppression_overlaps=non_max_suppression_overlaps,
        non_max_suppression_padded=non_max_suppression_padded,
        combined_non_max_suppression=combined_non_max_suppression,
        generate_bounding_box_proposals=generate_bounding_box_proposals,
    )
    return table
