# Each student's variant: one of 1..16 (the 16 variants are the 16 pairs of
# sizes m in 2..5, k in 3..6 that graphs/ex4_sizes.graph draws from).
# tests/run.sh grades against data["params"]["variant"].
import random


def generate(data):
    data["params"]["variant"] = random.randint(1, 16)
