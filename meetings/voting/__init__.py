"""Voting: live votes on agenda items and opinion ballots between sessions, one engine."""
