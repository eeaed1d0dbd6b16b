"""Market programmes: goals and actions per action line (/programmes/)."""
