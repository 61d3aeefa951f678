NC.data("search/terms/6e-65",{"nearly":[273,278],"necessary":[38,64,275,277,278],"need":[37,38],"needed":[95,278],"needs":[249],"new":[48,65,74,105,276,279,280],"next":[249]});
