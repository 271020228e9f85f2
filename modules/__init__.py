"""Optional QuickScale modules, selected in .copier-answers.yml and added by `make update`."""
