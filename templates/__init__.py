"""Output templates (Jinja2); shipped inside the package as `surveyor.template_files`."""
