"""Update tier: real `copier update` and `make update` across template versions."""
