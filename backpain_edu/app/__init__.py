"""The Voila web app: its configuration, in one place."""
