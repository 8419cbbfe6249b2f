"""fedshop's benchmark, run by `make bench` (`python -m bench`): each measurement is a ratio to a
baseline measured in the same run, so that a busy or slower machine moves both sides alike."""
