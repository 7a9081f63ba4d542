// Browser side of the settings: the theme is an attribute on <html> that theme.css keys on. The server renders it on
// every page load from the saved settings; this switches it live when the setting changes.
window.ndSettings = {
    applyTheme(theme) {
        document.documentElement.setAttribute("data-theme", theme === "light" ? "light" : "dark");
    },
};
