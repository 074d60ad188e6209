// Videos written in Markdown show a link and a button: the player (and whatever its host loads
// with it) is requested only when the reader presses the button. Without JavaScript, the link
// leads to the video on its host.
document.querySelectorAll(".video-embed[data-embed]").forEach(function (box) {
  var button = box.querySelector(".video-embed__load");
  if (!button || box.dataset.embed.indexOf("https://") !== 0) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var frame = document.createElement("iframe");
    frame.src = box.dataset.embed;
    frame.title = box.dataset.title || "";
    frame.className = "video-embed__player";
    frame.width = "640";
    frame.height = "360";
    frame.allow = "fullscreen; picture-in-picture";
    frame.setAttribute("allowfullscreen", "");
    box.replaceWith(frame);
    frame.focus();
  });
});
