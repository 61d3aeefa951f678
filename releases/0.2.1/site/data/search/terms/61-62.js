NC.data("search/terms/61-62",{"abdelmahdi":[28,81,160,279],"abdul":[28],"ability":[38,208,274],"about":[31,50,125,131,185,203,251,277,280]});
