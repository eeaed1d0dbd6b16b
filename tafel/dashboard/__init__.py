"""The dashboard (`/dashboard/`): the table's figures as charts and tables."""
