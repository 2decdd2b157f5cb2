"""Prompt templates (Jinja2); shipped inside the package as `surveyor.prompt_files`."""
