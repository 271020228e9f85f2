"""QuickScale core: the custom user, health check, system checks and shared templates."""
