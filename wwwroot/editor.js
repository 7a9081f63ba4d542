// Browser side of the NodeDiffusion editor: keyboard shortcuts, file drop, download and local autosave.
window.ndEditor = (() => {
    const autosaveKey = "nodediffusion.autosave";
    let keyHandler = null;

    function isTyping(target) {
        const tag = (target && target.tagName) || "";
        return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
    }

    return {
        init(dotnet, host) {
            if (keyHandler) {
                document.removeEventListener("keydown", keyHandler, true);
            }
            keyHandler = (e) => {
                const ctrl = e.ctrlKey || e.metaKey;
                if (!ctrl) {
                    return;
                }
                const key = e.key.toLowerCase();
                if (key === "enter") {
                    e.preventDefault();
                    dotnet.invokeMethodAsync("OnShortcut", e.shiftKey ? "queue-front" : "queue");
                } else if (key === "s") {
                    e.preventDefault();
                    dotnet.invokeMethodAsync("OnShortcut", "save");
                } else if (!isTyping(e.target) && (key === "z" || key === "y")) {
                    e.preventDefault();
                    dotnet.invokeMethodAsync("OnShortcut", key === "y" || e.shiftKey ? "redo" : "undo");
                }
            };
            document.addEventListener("keydown", keyHandler, true);
            host.addEventListener("dragover", (e) => { e.preventDefault(); host.classList.add("nd-dragging"); });
            host.addEventListener("dragleave", () => host.classList.remove("nd-dragging"));
            host.addEventListener("drop", async (e) => {
                e.preventDefault();
                host.classList.remove("nd-dragging");
                const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
                if (!file) {
                    return;
                }
                const bytes = new Uint8Array(await file.arrayBuffer());
                await dotnet.invokeMethodAsync("OnFileDropped", file.name, DotNet.createJSStreamReference(bytes));
            });
        },
        download(name, text) {
            const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
            const a = document.createElement("a");
            a.href = url;
            a.download = name;
            document.body.appendChild(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 1000);
        },
        saveLocal(text) {
            try {
                localStorage.setItem(autosaveKey, text);
                return true;
            } catch {
                return false;
            }
        },
        hasLocal() {
            return !!localStorage.getItem(autosaveKey);
        },
        loadLocal() {
            return new TextEncoder().encode(localStorage.getItem(autosaveKey) || "");
        },
        clearLocal() {
            localStorage.removeItem(autosaveKey);
        },
        focusSearch() {
            const input = document.querySelector(".nd-search input");
            if (input) {
                input.focus();
            }
        },
    };
})();
