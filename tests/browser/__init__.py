"""Tests that drive the built site in a real Chromium."""
