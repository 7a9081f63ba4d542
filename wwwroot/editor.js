// Browser side of the NodeDiffusion editor: keyboard shortcuts, clipboard, context menus, file drop, download and local autosave.
window.ndEditor = (() => {
    const autosaveKey = "nodediffusion.autosave";
    let keyHandler = null;
    let editor = null;
    // The last copy, for when the system clipboard cannot be written or read (permission refused, insecure origin).
    let inPageClip = null;
    let systemClipWritten = false;
    const pointer = { x: 0, y: 0, inside: false };
    const clipMarker = '"nodediffusion.workflow"';

    function hasTextSelection() {
        const selection = window.getSelection();
        return !!selection && !selection.isCollapsed && selection.toString().length > 0;
    }

    // A paste right after a copy (Ctrl+C, Ctrl+V in quick succession) waits for the copy's round trip to the server.
    let pendingCopy = Promise.resolve();

    function copy() {
        pendingCopy = (async () => {
            const text = await editor.invokeMethodAsync("CopySelection");
            if (!text) {
                return;
            }
            inPageClip = text;
            try {
                await navigator.clipboard.writeText(text);
                systemClipWritten = true;
            } catch {
                systemClipWritten = false;
            }
        })().catch(() => { });
        return pendingCopy;
    }

    async function paste(keepLinks, x, y) {
        await pendingCopy;
        let text = null;
        if (systemClipWritten || !inPageClip) {
            try {
                text = await navigator.clipboard.readText();
            } catch {
                text = null;
            }
        }
        if (!text || !text.includes(clipMarker)) {
            text = inPageClip;
        }
        if (!text) {
            return;
        }
        const bytes = new TextEncoder().encode(text);
        await editor.invokeMethodAsync("PasteAsync", DotNet.createJSStreamReference(bytes), keepLinks, x, y);
    }

    function menuTarget(target) {
        const link = target.closest("[data-link-id]");
        if (link) {
            return ["link", link.getAttribute("data-link-id")];
        }
        const node = target.closest(".diagram-node");
        if (node) {
            return [node.querySelector(".nd-group") ? "group" : "node", node.getAttribute("data-node-id")];
        }
        return ["canvas", null];
    }

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
                const key = e.key.toLowerCase();
                const typing = isTyping(e.target);
                if (key === "escape" && !typing) {
                    dotnet.invokeMethodAsync("OnShortcut", "escape");
                    return;
                }
                if (e.altKey && !ctrl && !typing && key === "c") {
                    e.preventDefault();
                    dotnet.invokeMethodAsync("OnShortcut", "collapse");
                    return;
                }
                if (!ctrl) {
                    return;
                }
                if (key === "enter") {
                    e.preventDefault();
                    dotnet.invokeMethodAsync("OnShortcut", e.shiftKey ? "queue-front" : "queue");
                } else if (key === "s") {
                    e.preventDefault();
                    dotnet.invokeMethodAsync("OnShortcut", "save");
                } else if (typing || e.altKey) {
                    return;
                } else if (key === "z" || key === "y") {
                    e.preventDefault();
                    dotnet.invokeMethodAsync("OnShortcut", key === "y" || e.shiftKey ? "redo" : "undo");
                } else if (key === "b" || key === "m" || key === "g") {
                    e.preventDefault();
                    dotnet.invokeMethodAsync("OnShortcut", key === "b" ? "bypass" : key === "m" ? "mute" : "group");
                } else if (key === "c" && !hasTextSelection()) {
                    copy();
                } else if (key === "v") {
                    e.preventDefault();
                    paste(e.shiftKey, pointer.inside ? pointer.x : null, pointer.inside ? pointer.y : null);
                }
            };
            document.addEventListener("keydown", keyHandler, true);
            editor = dotnet;
            host.addEventListener("pointermove", (e) => { pointer.x = e.clientX; pointer.y = e.clientY; pointer.inside = true; });
            host.addEventListener("pointerleave", () => { pointer.inside = false; });
            // A group's resize corner keeps the pointer while it is dragged (GroupBox.razor follows the moves).
            host.addEventListener("pointerdown", (e) => {
                const corner = e.button === 0 && e.target.closest(".nd-group-resize");
                if (corner) {
                    corner.setPointerCapture(e.pointerId);
                }
            });
            host.addEventListener("dblclick", (e) => {
                const title = e.target.closest(".nd-title, .nd-group-title");
                const node = title && title.closest(".diagram-node");
                if (node) {
                    dotnet.invokeMethodAsync("OnTitleDoubleClick", node.getAttribute("data-node-id"));
                }
            });
            host.addEventListener("contextmenu", (e) => {
                if (isTyping(e.target) || e.target.closest(".nd-menu, .nd-search")) {
                    return;
                }
                e.preventDefault();
                const [kind, id] = menuTarget(e.target);
                dotnet.invokeMethodAsync("OnContextMenu", kind, id, e.clientX, e.clientY);
            });
            host.addEventListener("dragover", (e) => { e.preventDefault(); host.classList.add("nd-dragging"); });
            host.addEventListener("dragleave", () => host.classList.remove("nd-dragging"));
            host.addEventListener("drop", async (e) => {
                e.preventDefault();
                host.classList.remove("nd-dragging");
                const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
                if (!file) {
                    return;
                }
                // The file itself is streamed (not read here first), and its size goes first so that the server refuses an oversized one unread.
                await dotnet.invokeMethodAsync("OnFileDropped", file.name, file.size, DotNet.createJSStreamReference(file));
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
        paste(keepLinks, x, y) {
            return paste(keepLinks, x, y);
        },
        focusRename() {
            const input = document.querySelector(".nd-rename");
            if (input) {
                input.focus();
                input.select();
            }
        },
        focusMenu() {
            const item = document.querySelector(".nd-menu button");
            if (item) {
                item.focus();
            }
        },
        moveMenuFocus(step) {
            const items = Array.from(document.querySelectorAll(".nd-menu button"));
            const index = items.indexOf(document.activeElement);
            const next = items[(index + step + items.length) % items.length];
            if (next) {
                next.focus();
            }
        },
        focusSearch() {
            const input = document.querySelector(".nd-search input");
            if (input) {
                input.focus();
            }
        },
    };
})();
