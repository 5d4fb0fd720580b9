# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Project: forecasting a stock price and a seasonal series
#
# Recurrent networks are the textbook tool for time series, and "predict the stock market with an
# LSTM" is one of the most common tutorials on the web. This project runs that experiment honestly
# on real data, then runs the same recipe on a series that does have a pattern to learn:
#
# 1. Google's daily closing price (2148 trading days, 2004 to 2013) against the simplest possible
#    forecast, *tomorrow = today* (persistence), and a moving average;
# 2. the monthly US unemployment rate (1948 to 2016, not seasonally adjusted) against the seasonal
#    naive forecast, *this month = the same month last year*.
#
# Both series ship with the `bokeh_sampledata` wheel, so everything runs offline. Every number
# below is computed by this run and checked by an `assert` next to it.

# %%
# %matplotlib inline
import keras
import numpy as np

import dlguide

keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. The data and a chronological split
#
# A forecast is only honest if the model is trained on the past and tested on the future. So the
# split is chronological (`split_chronological` never shuffles): the last 20% of the trading days
# are the test period.

# %%
dates, price = dlguide.load_stock_prices("GOOG")
print(f"{len(price)} trading days, {dates[0]} to {dates[-1]}")
train_price, test_price = dlguide.split_chronological(price, test_size=0.2)
num_test = len(test_price)
print(f"train: {len(train_price)} days up to {dates[-num_test - 1]}, "
      f"test: {num_test} days from {dates[-num_test]}")
print(f"highest close in training: {train_price.max():.0f}, in test: {test_price.max():.0f}")

# %% [markdown]
# `make_windows` turns the series into supervised examples: the last 30 closes in, the next close
# out. Every target lies strictly after its window, and splitting the windows chronologically puts
# the last `num_test` targets, exactly the test days, in the test part.

# %%
window = 30
X_price, y_price = dlguide.make_windows(price, window)
_, (x_test_price, y_test) = dlguide.split_chronological(X_price, y_price, test_size=num_test)
assert np.array_equal(y_test, test_price)
print("windows:", X_price.shape, " test windows:", x_test_price.shape)

# %% [markdown]
# ## 2. Baselines first
#
# *Persistence* predicts that tomorrow's close equals today's. A *moving average* predicts the mean
# of the last 5 closes. We score every forecast by its mean absolute error (MAE) in dollars over
# the test days, and by its ratio to the persistence MAE: below 1 beats persistence, above 1 loses
# to it.

# %%
naive = x_test_price[:, -1, 0]
moving_average = x_test_price[:, -5:, 0].mean(axis=1)


def mae(forecast):
    return float(np.abs(forecast - y_test).mean())


naive_mae = mae(naive)
results = {"persistence": naive_mae, "moving average (5 days)": mae(moving_average)}
print(f"persistence MAE: ${naive_mae:.2f} per share")
print(f"moving average MAE: ${results['moving average (5 days)']:.2f} "
      f"(ratio {results['moving average (5 days)'] / naive_mae:.2f})")
assert results["moving average (5 days)"] > naive_mae  # averaging the past only adds lag

# %% [markdown]
# ## 3. The tutorial recipe: an LSTM on scaled prices
#
# The usual recipe scales the prices to [0, 1] with the training minimum and maximum, and trains an
# LSTM (`dlguide.rnn`, one layer of 32 units) to predict the next scaled close from the last 30.

# %%
low, high = train_price.min(), train_price.max()
X, y = dlguide.make_windows((price - low) / (high - low), window)
(x_train, y_train), (x_test, _) = dlguide.split_chronological(X, y, test_size=num_test)

lstm = dlguide.rnn(
    (window, 1), cell="lstm", units=32, classes=1, classifier_activation=None
)
lstm.compile(optimizer="adam", loss="mse")
# optimizer variables now, not in fit's first step (saves a retrace)
lstm.optimizer.build(lstm.trainable_variables)
lstm.fit(x_train, y_train, epochs=10, batch_size=64, verbose=0)
lstm_forecast = lstm.predict(x_test, verbose=0)[:, 0] * (high - low) + low
results["LSTM on prices"] = mae(lstm_forecast)
lstm_ratio = results["LSTM on prices"] / naive_mae
print(f"LSTM on prices MAE: ${results['LSTM on prices']:.2f} (ratio to persistence {lstm_ratio:.2f})")
assert lstm_ratio > 1.2, lstm_ratio

# %% [markdown]
# The LSTM loses to persistence. Its forecast on a plot still looks convincing, because any
# forecast close to yesterday's price follows the curve:

# %%
last = 250
dlguide.plot_forecast(
    price[-last:],
    {"LSTM on prices": lstm_forecast[-last:], "persistence": naive[-last:]},
    index=dates[-last:],
    title="GOOG: the last 250 test days",
    ylabel="close (USD)",
)

# %% [markdown]
# Two things go wrong. The test prices go above anything in the training period, so the scaled
# inputs leave [0, 1] and the LSTM, with its saturating tanh units, cannot follow them up.
# And even where it tracks the price, all it can learn is "about the last value", which
# persistence does exactly. Looking good on a price chart is not evidence of skill: compare with
# persistence.
#
# ## 4. A fairer model: predict the daily return
#
# Prices drift out of any range; daily returns, $\log(p_{t+1} / p_t)$, do not. A GRU now reads
# the last 30 returns (divided by their training standard deviation) and predicts the next one;
# the price forecast is today's close times $e^{\text{predicted return}}$. A model that predicts
# a return of 0 *is* persistence, so the question is whether it can do better than 0.

# %%
returns = np.diff(np.log(price))  # returns[t] = log(price[t + 1] / price[t])
train_returns, _ = dlguide.split_chronological(returns, test_size=num_test)
scale = train_returns.std()
X, y = dlguide.make_windows(returns / scale, window)
(x_train, y_train), (x_test, y_test_returns) = dlguide.split_chronological(X, y, test_size=num_test)

gru = dlguide.rnn(
    (window, 1), cell="gru", units=16, classes=1, classifier_activation=None
)
gru.compile(optimizer="adam", loss="mae")
# optimizer variables now, not in fit's first step (saves a retrace)
gru.optimizer.build(gru.trainable_variables)
gru.fit(x_train, y_train, epochs=8, batch_size=128, verbose=0)
predicted_returns = gru.predict(x_test, verbose=0)[:, 0] * scale
gru_forecast = naive * np.exp(predicted_returns)
results["GRU on returns"] = mae(gru_forecast)
gru_ratio = results["GRU on returns"] / naive_mae
print(f"GRU on returns MAE: ${results['GRU on returns']:.2f} (ratio to persistence {gru_ratio:.3f})")
print(f"size of the predicted returns: {np.abs(predicted_returns).mean():.5f}, "
      f"of the actual ones: {np.abs(y_test_returns * scale).mean():.5f}")

# %% [markdown]
# The network learns to predict returns that are a tiny fraction of the real ones, so its
# forecast is persistence in all but name, and its error equals persistence's to within 3%.
# Does it at least get the direction right?

# %%
actual_up = y_test_returns > 0
hits = float((np.sign(predicted_returns) == np.sign(y_test_returns)).mean())
coin = 1.96 * np.sqrt(0.25 / num_test)  # 95% range of a fair coin's hit rate
print(f"direction right on {hits:.1%} of test days")
print(f"always saying 'up' is right on {actual_up.mean():.1%} of them")
print(f"a fair coin lands in {0.5 - coin:.1%} to {0.5 + coin:.1%} 95% of the time")
assert 0.97 < gru_ratio < 1.03, gru_ratio
assert abs(hits - 0.5) < coin, hits
assert hits < actual_up.mean() + 0.02, (hits, actual_up.mean())

# %% [markdown]
# ## 5. What this means for "predicting the market"
#
# All four forecasts of the test period side by side (MAE in dollars, then the ratio to
# persistence):

# %%
for name, value in results.items():
    print(f"{name:<26} {value:7.2f}   {value / naive_mae:.3f}")
assert min(results, key=results.get) in ("persistence", "GRU on returns")

# %% [markdown]
# Nothing here beats *tomorrow = today* in a meaningful way. The LSTM on prices is clearly worse,
# the GRU on returns is persistence in disguise (within 3% of its error, either way), and it gets
# the direction of the next move right no more often than a coin flip, or than always saying
# "up" in a period when the stock mostly rose. This is what the efficient-market idea predicts: if yesterday's prices
# told you tomorrow's, traders would already have used it and the pattern would be gone. A model
# trained on past prices alone has nothing to learn. Be suspicious of any tutorial whose chart
# of predicted vs actual prices "almost overlaps": that is what persistence looks like too. Real
# forecasting work in finance uses other information, costs and risk, and is judged against
# exactly these baselines.
#
# ## 6. A series with a pattern: monthly unemployment
#
# The US unemployment rate, not seasonally adjusted, has a yearly cycle: hiring for the summer and
# the holidays, lay-offs after them. The training years show it in the average deviation of each
# month from its year's mean:

# %%
months, rate = dlguide.load_unemployment()
train_rate, test_rate = dlguide.split_chronological(rate, test_size=192)  # the last 16 years
num_test_months = len(test_rate)
profile = (train_rate.reshape(-1, 12) - train_rate.reshape(-1, 12).mean(axis=1, keepdims=True))
profile = profile.mean(axis=0)
names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
print(f"{len(rate)} months, test from {months[-num_test_months]} to {months[-1]}")
print("seasonal profile (percentage points):")
print("  ".join(f"{n} {v:+.2f}" for n, v in zip(names, profile)))
assert profile[0] > 0.4 and profile[9] < -0.3  # January high, October low

# %% [markdown]
# The baselines: persistence (*this month = last month*) and the seasonal naive forecast
# (*this month = the same month last year*), the standard benchmark for a seasonal series.
# The model is a GRU that reads the last 13 month-to-month changes (enough to see the same
# month's change a year earlier) and predicts the next change, trained with early stopping on the
# last 15% of the training windows.

# %%
changes = np.diff(rate)  # changes[t] = rate[t + 1] - rate[t]
train_changes, _ = dlguide.split_chronological(changes, test_size=num_test_months)
change_scale = train_changes.std()
X, y = dlguide.make_windows(changes / change_scale, 13)
(x_train, y_train), (x_test, _) = dlguide.split_chronological(X, y, test_size=num_test_months)

actual = rate[-num_test_months:]
last_month = rate[-num_test_months - 1 : -1]
last_year = rate[-num_test_months - 12 : -12]

keras.utils.set_random_seed(0)
seasonal_gru = dlguide.rnn(
    (13, 1), cell="gru", units=32, classes=1, classifier_activation=None
)
seasonal_gru.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mae")
# optimizer variables now, not in fit's first step (saves a retrace)
seasonal_gru.optimizer.build(seasonal_gru.trainable_variables)
early_stopping = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
seasonal_gru.fit(x_train, y_train, validation_split=0.15, epochs=30, batch_size=64,
                 callbacks=[early_stopping], verbose=0)
gru_rate = last_month + seasonal_gru.predict(x_test, verbose=0)[:, 0] * change_scale

seasonal_naive_mae = float(np.abs(last_year - actual).mean())
persistence_mae = float(np.abs(last_month - actual).mean())
gru_mae = float(np.abs(gru_rate - actual).mean())
print(f"seasonal naive MAE: {seasonal_naive_mae:.3f} points")
print(f"persistence MAE:    {persistence_mae:.3f} points")
print(f"GRU MAE:            {gru_mae:.3f} points "
      f"(ratio {gru_mae / seasonal_naive_mae:.2f} to seasonal naive, "
      f"{gru_mae / persistence_mae:.2f} to persistence)")
assert gru_mae / seasonal_naive_mae < 0.5, gru_mae / seasonal_naive_mae
assert gru_mae / persistence_mae < 0.85, gru_mae / persistence_mae

# %% [markdown]
# Here the network wins clearly: it beats the seasonal naive forecast by more than half and
# persistence by a wide margin, because next month's change really does depend on the month:
# the rate jumps every January and falls every spring, and the GRU has learned that from the
# recent changes. The seasonal naive forecast is the weaker baseline on this series because
# the level drifts a lot within a year (the 2008 recession is in the test period).

# %%
last = 72
dlguide.plot_forecast(
    rate[-last:],
    {"GRU": gru_rate[-last:], "seasonal naive": last_year[-last:]},
    index=months[-last:],
    title="US unemployment rate: the last 6 test years",
    ylabel="percent",
)

# %% [markdown]
# ## What to take away
#
# - Split time series by time, never by shuffling, and window them without look-ahead
#   (`make_windows`, `split_chronological`).
# - Always report a forecast next to persistence and, for seasonal data, the seasonal naive
#   forecast; a ratio to the baseline says more than an MAE alone.
# - A recurrent network learns patterns that are in the data. The unemployment rate has one (the
#   seasons) and the GRU beats both baselines; daily stock prices do not, and no network beat
#   *tomorrow = today* here.
