// Loads every theme's registrations (quickscale_themes/*/frontend_react/src/register.tsx) without
// naming a theme: a theme with React pages adds that one file.
import.meta.glob("/quickscale_themes/*/frontend_react/src/register.tsx", { eager: true });
