NC.data("search/terms/69-66",{"if":[38,48,275,277,278,280]});
