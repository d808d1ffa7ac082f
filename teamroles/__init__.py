"""The Team: who does what on a software product with machine-learning features."""
