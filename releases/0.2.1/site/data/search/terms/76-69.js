NC.data("search/terms/76-69",{"victims":[33,280],"victory":[58,98],"violent":[81,160,244,279],"visit":[46,172,203],"vital":[43,65,279]});
