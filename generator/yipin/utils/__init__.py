"""Foundations every stage uses: Chinese text as staff wrap it, content files as the system
hands them over, staging folders published by rename, and signals during a build."""
