"""Every chart of the app as a Plotly figure, plus the same facts in words.

Pure functions: content in, `plotly.graph_objects.Figure` (or Markdown text) out,
no Streamlit anywhere in this package, so the unit tests call them directly.
Every figure has a text twin built from the same data, shown under the chart for
screen readers and print. Roles are drawn in the colour from their front matter
(Okabe-Ito, safe for colour-blind readers) and always with a second cue (shape,
fill, pattern or words), so colour never carries meaning alone.

- `style`: the shared colours, font sizes, Plotly config and small helpers.
- `journey`: the journey of a feature (stages and the loops back).
- `debt`: the hidden-technical-debt figure.
- `matrix`: who owns what, the responsibility matrix.
- `quiz_results`: the quiz's right and wrong answers per correct answer.

The Streamlit side is `teamroles.ui.diagrams` (the three diagrams) and
`teamroles.ui.quiz` (the quiz).
"""
