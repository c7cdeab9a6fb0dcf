// Public API of the SFace reproduction's own library code: its CASIA-WebFace recipe. The SFace head lives
// in ../heads, identity label noise in ../labelnoise, face training and verification (shared with lrfr)
// in ../face.
export { SFACE_CASIA_RECIPE } from './recipe.js';
