"""dlguide: the package behind the dlguide deep-learning guide.

Importing `dlguide` is cheap: it does not import Keras or TensorFlow. Each
subpackage is loaded the first time one of its names is used. The names of
`dlguide.datasets`, `dlguide.models` and `dlguide.plots` are also available at
the top level, e.g. `dlguide.load_mnist` or `dlguide.mlp`. The other
subpackages keep their namespace: `dlguide.scratch` (NumPy implementations),
`dlguide.exercises`, `dlguide.vision` (OpenCV), `dlguide.text` (character
models: sampling, perplexity), `dlguide.metrics`, `dlguide.glossary`,
`dlguide.advise` and `dlguide.deploy` (quantize, distil, export, serve).

Examples:
    >>> import dlguide
    >>> dlguide.__version__
    '0.1.0'
    >>> (x_train, y_train), (x_test, y_test) = dlguide.load_mnist()
    >>> x_train.shape, x_test.shape
    ((4000, 28, 28), (1000, 28, 28))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> subpackage that defines it. Loaded on first attribute access.
_EXPORTS: dict[str, str] = {
    "DatasetInfo": "datasets",
    "get_dataset_info": "datasets",
    "list_datasets": "datasets",
    "load_breast_cancer": "datasets",
    "load_cmudict": "datasets",
    "load_diabetes": "datasets",
    "load_digits": "datasets",
    "load_imdb": "datasets",
    "load_mnist": "datasets",
    "load_shakespeare": "datasets",
    "load_stock_prices": "datasets",
    "load_text_corpus": "datasets",
    "load_textures": "datasets",
    "load_unemployment": "datasets",
    "make_windows": "datasets",
    "split_chronological": "datasets",
    "split_train_test": "datasets",
    "TokenAndPositionEmbedding": "models",
    "TransformerBlock": "models",
    "attention": "models",
    "attention_weights": "models",
    "generate_tokens": "models",
    "greedy_decode": "models",
    "rnn_seq2seq": "models",
    "rotate": "models",
    "transformer_classifier": "models",
    "transformer_language_model": "models",
    "transformer_seq2seq": "models",
    "char_language_model": "models",
    "augmentation": "models",
    "autoencoder": "models",
    "cnn": "models",
    "cnn_lstm": "models",
    "dcgan_discriminator": "models",
    "dcgan_generator": "models",
    "diffusion_denoiser": "models",
    "diffusion_sample": "models",
    "mlp": "models",
    "residual_block": "models",
    "resnet": "models",
    "rnn": "models",
    "text_classifier": "models",
    "train_diffusion": "models",
    "train_gan": "models",
    "train_vae": "models",
    "transfer": "models",
    "unfreeze": "models",
    "vae": "models",
    "add_lora": "models",
    "lora_weights": "models",
    "merge_lora": "models",
    "ClassTokenAndPosition": "models",
    "vit": "models",
    "MixtureOfExperts": "models",
    "plot_activations": "plots",
    "plot_attention": "plots",
    "plot_augmentation_grid": "plots",
    "plot_confusion_matrix": "plots",
    "plot_decision_boundary": "plots",
    "plot_feature_maps": "plots",
    "plot_filters": "plots",
    "plot_forecast": "plots",
    "plot_gradient_norms": "plots",
    "plot_history": "plots",
    "plot_image_rows": "plots",
    "plot_images": "plots",
    "plot_latent_space": "plots",
    "plot_loss_surface_paths": "plots",
    "plot_misclassified": "plots",
    "plot_positional_encoding": "plots",
    "plot_roc_curve": "plots",
    "plot_sample_grid": "plots",
}
_SUBPACKAGES = (
    "advise",
    "datasets",
    "deploy",
    "exercises",
    "glossary",
    "metrics",
    "models",
    "plots",
    "scratch",
    "text",
    "vision",
)

__all__ = ["__version__", *_SUBPACKAGES, *_EXPORTS]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from . import (
        advise,
        datasets,
        deploy,
        exercises,
        glossary,
        metrics,
        models,
        plots,
        scratch,
        text,
        vision,
    )
    from .datasets import (
        DatasetInfo,
        get_dataset_info,
        list_datasets,
        load_breast_cancer,
        load_cmudict,
        load_diabetes,
        load_digits,
        load_imdb,
        load_mnist,
        load_shakespeare,
        load_stock_prices,
        load_text_corpus,
        load_textures,
        load_unemployment,
        make_windows,
        split_chronological,
        split_train_test,
    )
    from .models import (
        ClassTokenAndPosition,
        MixtureOfExperts,
        TokenAndPositionEmbedding,
        TransformerBlock,
        add_lora,
        attention,
        attention_weights,
        augmentation,
        autoencoder,
        char_language_model,
        cnn,
        cnn_lstm,
        dcgan_discriminator,
        dcgan_generator,
        diffusion_denoiser,
        diffusion_sample,
        generate_tokens,
        greedy_decode,
        lora_weights,
        merge_lora,
        mlp,
        residual_block,
        resnet,
        rnn,
        rnn_seq2seq,
        rotate,
        text_classifier,
        train_diffusion,
        train_gan,
        train_vae,
        transfer,
        transformer_classifier,
        transformer_language_model,
        transformer_seq2seq,
        unfreeze,
        vae,
        vit,
    )
    from .plots import (
        plot_activations,
        plot_attention,
        plot_augmentation_grid,
        plot_confusion_matrix,
        plot_decision_boundary,
        plot_feature_maps,
        plot_filters,
        plot_forecast,
        plot_gradient_norms,
        plot_history,
        plot_image_rows,
        plot_images,
        plot_latent_space,
        plot_loss_surface_paths,
        plot_misclassified,
        plot_positional_encoding,
        plot_roc_curve,
        plot_sample_grid,
    )


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        module = importlib.import_module(f"{__name__}.{name}")
    elif name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        value = getattr(module, name)
        globals()[name] = value
        return value
    else:
        raise AttributeError(f"module 'dlguide' has no attribute {name!r}")
    globals()[name] = module
    return module


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
