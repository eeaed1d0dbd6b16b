"""Economic progress: indicators, targets, observations and their imports (/voortgang/)."""
