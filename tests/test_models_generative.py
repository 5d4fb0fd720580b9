"""Generative builders and trainers: structure, shapes, that training lowers the loss,
sampling, serialisation of the custom layers, and every validation message."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.models import (
    autoencoder,
    dcgan_discriminator,
    dcgan_generator,
    diffusion_denoiser,
    diffusion_sample,
    train_diffusion,
    train_gan,
    train_vae,
    vae,
)
from dlguide.scratch import noise_schedule

RNG = np.random.default_rng(0)
IMAGES = RNG.random((64, 8, 8)).astype("float32")


def test_dense_and_conv_autoencoders_mirror_the_encoder():
    dense = autoencoder((8, 8), 4, units=(32, 16))
    enc, dec = dense.get_layer("encoder"), dense.get_layer("decoder")
    assert [layer.name for layer in enc.layers] == [
        "input",
        "flatten",
        "dense_1",
        "dense_2",
        "latent",
    ]
    assert [layer.units for layer in dec.layers if hasattr(layer, "units")] == [16, 32, 64]
    assert dec.get_layer("pixels").activation.__name__ == "sigmoid"
    conv = autoencoder((8, 8, 3), 4, kind="conv", filters=(4, 8), units=())
    assert conv.get_layer("decoder").get_layer("feature_maps").output.shape == (None, 2, 2, 8)
    assert conv.output_shape == (None, 8, 8, 3)


def test_denoising_autoencoder_adds_noise_only_in_training():
    model = autoencoder((8, 8), 4, noise_stddev=0.5, seed=0)
    noise = model.get_layer("noise")
    x = np.zeros((2, 8, 8), "float32")
    assert np.all(keras.ops.convert_to_numpy(noise(x, training=False)) == 0)
    assert np.abs(keras.ops.convert_to_numpy(noise(x, training=True))).max() > 0


def test_vae_trains_on_the_elbo_and_its_kl_output_is_the_gaussian_kl():
    keras.utils.set_random_seed(0)
    model = vae((8, 8), 2, units=(16,), seed=0)
    binary = IMAGES.round()
    history = train_vae(model, binary, epochs=4, batch_size=16, validation_data=binary[:16])
    h = history.history
    assert h["loss"][-1] < h["loss"][0]
    assert set(h) == {
        "loss",
        "kl_loss",
        "reconstruction_loss",
        "val_loss",
        "val_kl_loss",
        "val_reconstruction_loss",
    }
    # The kl output equals the closed form for the encoder's mean and log-variance.
    mean, log_var = model.get_layer("encoder").predict(binary[:5], verbose=0)
    _, kl = model.predict(binary[:5], verbose=0)
    expected = -0.5 * np.sum(1 + log_var - mean**2 - np.exp(log_var), axis=1)
    np.testing.assert_allclose(kl, expected, rtol=1e-4, atol=1e-5)


def test_vae_round_trips_through_a_keras_file(tmp_path):
    model = vae((8, 8), 2, units=(8,), seed=3)
    model.save(tmp_path / "vae.keras")
    loaded = keras.models.load_model(tmp_path / "vae.keras")
    assert loaded.get_layer("sampling").seed == 3
    mean, _ = model.get_layer("encoder").predict(IMAGES[:2], verbose=0)
    np.testing.assert_allclose(
        loaded.get_layer("encoder").predict(IMAGES[:2], verbose=0)[0], mean, rtol=1e-5
    )


def test_dcgan_shapes_and_a_few_adversarial_steps():
    keras.utils.set_random_seed(0)
    generator = dcgan_generator((8, 8), latent_dim=4, filters=(8, 4), kernel_size=3)
    discriminator = dcgan_discriminator((8, 8), filters=(4, 8), dropout=0.2, seed=1)
    assert generator.output_shape == (None, 8, 8)
    assert generator.get_layer("pixels").activation.__name__ == "tanh"
    assert discriminator.get_layer("logit").activation.__name__ == "linear"
    before = [w.copy() for w in generator.get_weights()]
    history = train_gan(generator, discriminator, IMAGES * 2 - 1, epochs=2, batch_size=16, seed=0)
    assert len(history["d_loss"]) == len(history["g_loss"]) == 2
    assert all(np.isfinite(history["d_loss"] + history["g_loss"]))
    assert any(not np.allclose(a, b) for a, b in zip(before, generator.get_weights(), strict=True))


def test_unet_denoiser_and_conditional_training_then_ddpm_and_ddim_sampling():
    keras.utils.set_random_seed(0)
    denoiser = diffusion_denoiser((8, 8), classes=3, filters=(4, 8), embedding_dim=16)
    assert denoiser.get_layer("up_1_skip").output.shape == (None, 8, 8, 12)
    schedule = noise_schedule(20)
    labels = np.arange(64) % 3
    history = train_diffusion(
        denoiser, IMAGES * 2 - 1, labels, schedule=schedule, epochs=2, batch_size=16, seed=0
    )
    assert len(history.history["loss"]) == 2
    ddim = diffusion_sample(
        denoiser, schedule, labels=[0, 1, 2], sampling_steps=4, seed=0, clip=1.0
    )
    again = diffusion_sample(
        denoiser, schedule, labels=[0, 1, 2], sampling_steps=4, seed=0, clip=1.0
    )
    np.testing.assert_array_equal(ddim, again)
    assert ddim.shape == (3, 8, 8) and np.abs(ddim).max() <= 1.0 + 1e-6
    ddpm = diffusion_sample(denoiser, schedule, num_samples=2, method="ddpm", seed=0)
    assert ddpm.shape == (2, 8, 8)


def test_train_diffusion_is_reproducible_and_noises_in_chunks(monkeypatch):
    from dlguide.models import _diffusion

    x = RNG.normal(size=(40, 2))
    losses = []
    for chunk in (2**24, 40 * 2):  # everything at once, then one epoch per fit call
        monkeypatch.setattr(_diffusion, "_CHUNK_VALUES", chunk)
        keras.utils.set_random_seed(0)
        model = diffusion_denoiser((2,), units=(8,))
        losses.append(
            train_diffusion(
                model, x, schedule=noise_schedule(10), epochs=3, batch_size=8, seed=1
            ).history["loss"]
        )
    assert len(losses[0]) == len(losses[1]) == 3
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-4)


def test_guidance_zero_equals_plain_conditional_sampling():
    denoiser = diffusion_denoiser((2,), classes=2, units=(8,))
    schedule = noise_schedule(10)
    a = diffusion_sample(denoiser, schedule, labels=[0, 1], guidance=0.0, seed=0)
    b = diffusion_sample(denoiser, schedule, labels=[0, 1], seed=0)
    np.testing.assert_array_equal(a, b)


DEN = diffusion_denoiser((2,), units=(4,))
COND = diffusion_denoiser((2,), classes=3, units=(4,))
S = noise_schedule(10)
X2 = np.zeros((8, 2))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: autoencoder((28, 28), 0), r"Expected a positive integer. Received: latent_dim=0"),
        (
            lambda: autoencoder((28, 28), kind="cnn"),
            r"Expected one of 'dense', 'conv'. Received: kind='cnn'",
        ),
        (
            lambda: autoencoder((28, 28), kind="conv", filters=()),
            r"Expected at least one conv block for kind='conv'",
        ),
        (
            lambda: autoencoder(784, kind="conv"),
            r"Expected an image shape \(height, width\) or \(height, width, channels\) for kind='conv'. Received: input_shape=784",
        ),
        (
            lambda: autoencoder((28, 28), noise_stddev=-1.0),
            r"Expected a non-negative float. Received: noise_stddev=-1.0",
        ),
        (
            lambda: autoencoder((28, 28), seed=-1),
            r"Expected a non-negative integer or None. Received: seed=-1",
        ),
        (
            lambda: autoencoder((28, 28), activation="relux"),
            r"Expected an activation name such as 'relu'. Received: activation='relux'",
        ),
        (lambda: vae((28, 28), units=-2), r"Received: units=-2"),
        (lambda: vae((28, 28), name=""), r"Expected a non-empty string. Received: name=''"),
        (lambda: train_vae(autoencoder((8, 8)), IMAGES), r"Expected a model built by dlguide.vae"),
        (
            lambda: train_vae(vae((8, 8)), IMAGES * 255),
            r"Expected images of shape \(num_images, 8, 8\) in \[0, 1\]. Received: x with values from 0.0\d* to 254.\d+ \(divide uint8 images by 255\)",
        ),
        (lambda: train_vae(vae((8, 8)), np.zeros((4, 7, 7))), r"Received: x.shape=\(4, 7, 7\)"),
        (
            lambda: train_vae(vae((8, 8)), IMAGES, beta=-1.0),
            r"Expected a non-negative float. Received: beta=-1.0",
        ),
        (
            lambda: train_vae(vae((8, 8)), IMAGES, learning_rate=0),
            r"Expected a positive float. Received: learning_rate=0",
        ),
        (
            lambda: dcgan_generator((28, 28), filters=(8, 8, 8)),
            r"Expected an image height and width divisible by 8 \(one factor 2 per entry of filters\). Received: output_shape=\(28, 28\)",
        ),
        (
            lambda: dcgan_generator((28,)),
            r"Expected an image shape \(height, width\) or \(height, width, channels\). Received: output_shape=\(28,\)",
        ),
        (lambda: dcgan_generator((28, 28), filters=()), r"Expected at least one filter count"),
        (
            lambda: dcgan_discriminator((28, 28), dropout=1.0),
            r"Expected a float in the range \[0, 1\). Received: dropout=1.0",
        ),
        (
            lambda: train_gan(
                dcgan_generator((8, 8), filters=(4,)), dcgan_discriminator((28, 28)), IMAGES
            ),
            r"Expected the generator's output shape to be the discriminator's input shape",
        ),
        (
            lambda: train_gan(
                dcgan_generator((8, 8), filters=(4,)), dcgan_generator((8, 8)), IMAGES
            ),
            r"Expected the generator's output shape to be the discriminator's input shape",
        ),
        (
            lambda: train_gan(
                dcgan_generator((8, 8), filters=(4,)),
                dcgan_discriminator((8, 8), filters=(4,)),
                IMAGES,
                batch_size=100,
            ),
            r"Expected batch_size <= the number of samples \(64\). Received: batch_size=100",
        ),
        (
            lambda: train_gan(
                dcgan_generator((8, 8), filters=(4,)),
                dcgan_discriminator((8, 8), filters=(4,)),
                IMAGES,
                beta_1=1.0,
            ),
            r"Expected a float in the range \(0, 1\). Received: beta_1=1.0",
        ),
        (
            lambda: train_gan("G", dcgan_discriminator((8, 8)), IMAGES),
            r"Expected a keras.Model. Received: generator='G'",
        ),
        (
            lambda: diffusion_denoiser((2,), units=()),
            r"Expected at least one layer for a vector input",
        ),
        (
            lambda: diffusion_denoiser((2,), embedding_dim=7),
            r"Expected an even embedding size. Received: embedding_dim=7",
        ),
        (
            lambda: diffusion_denoiser((14, 14), filters=(4, 8, 16)),
            r"Expected an image height and width divisible by 4 \(the U-Net halves them 2 times\)",
        ),
        (
            lambda: diffusion_denoiser((2, 2, 2, 2)),
            r"Expected a vector shape \(dim,\) or an image shape",
        ),
        (
            lambda: diffusion_denoiser((2,), classes=0),
            r"Expected a positive integer. Received: classes=0",
        ),
        (
            lambda: train_diffusion(vae((8, 8)), X2, schedule=S),
            r"Expected a model built by dlguide.diffusion_denoiser",
        ),
        (
            lambda: train_diffusion(DEN, X2, schedule={"betas": 1}),
            r"Expected a schedule from dlguide.scratch.noise_schedule",
        ),
        (
            lambda: train_diffusion(DEN, np.zeros((8, 3)), schedule=S),
            r"Expected examples of shape \(num_examples, 2\). Received: x.shape=\(8, 3\)",
        ),
        (
            lambda: train_diffusion(DEN, X2, [0] * 8, schedule=S),
            r"Expected no labels for an unconditional denoiser",
        ),
        (
            lambda: train_diffusion(COND, X2, schedule=S),
            r"Expected labels for a conditional denoiser \(classes=3\). Received: labels=None",
        ),
        (
            lambda: train_diffusion(COND, X2, [0, 3] * 4, schedule=S),
            r"Expected a 1-D array of integer labels from 0 to 2 \(8, one per example\)",
        ),
        (
            lambda: train_diffusion(COND, X2, [0] * 8, schedule=S, label_dropout=1.5),
            r"Received: label_dropout=1.5",
        ),
        (
            lambda: diffusion_sample(DEN, S),
            r"Expected num_samples \(or labels\). Received: num_samples=None",
        ),
        (
            lambda: diffusion_sample(DEN, S, labels=[0]),
            r"Expected no labels for an unconditional denoiser",
        ),
        (
            lambda: diffusion_sample(COND, S, labels=[0, 1], num_samples=3),
            r"Expected num_samples to be None or the number of labels \(2\). Received: num_samples=3",
        ),
        (
            lambda: diffusion_sample(DEN, S, num_samples=2, sampling_steps=11),
            r"Expected at most 10 sampling steps \(the schedule's T\). Received: sampling_steps=11",
        ),
        (
            lambda: diffusion_sample(DEN, S, num_samples=2, method="euler"),
            r"Expected one of 'ddpm', 'ddim'. Received: method='euler'",
        ),
        (
            lambda: diffusion_sample(COND, S, labels=[0], guidance=-1.0),
            r"Expected a non-negative float. Received: guidance=-1.0",
        ),
        (
            lambda: diffusion_sample(DEN, S, num_samples=2, clip=0.0),
            r"Expected a positive float. Received: clip=0.0",
        ),
    ],
)
def test_validation_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()
