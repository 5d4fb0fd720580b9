# %% [markdown]
# # Project
# %%
print(1 + 1)
